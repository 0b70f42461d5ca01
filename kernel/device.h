#pragma once
// Devices for user-space drivers (KCAP_DEVICE, kernel/device.c): registers, interrupts
// and DMA memory of the DTB nodes a driver's boot-table row names.
struct proc;
struct trapframe;

// The DTB the devices are looked up in (kmain, once, before any process runs).
void device_init(const void *fdt);

// What a driver held goes with it (proc_free, before its PID is free again): its
// interrupts are unbound and disabled; its DMA region is freed, unless it is supervised
// (then the next instance gets it: its device may still write there).
void device_release(struct proc *proc);

// KCALL_DEVICE_INFO, _MAP, _IRQ_BIND, _IRQ_ACK and KCALL_DMA_ALLOC.
long device_kcall_info(struct trapframe *frame);
long device_kcall_map(struct trapframe *frame);
long device_kcall_irq_bind(struct trapframe *frame);
long device_kcall_irq_ack(struct trapframe *frame);
long device_kcall_dma_alloc(struct trapframe *frame);
