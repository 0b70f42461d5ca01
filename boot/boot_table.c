// The programs the kernel may start from the boot archive (kernel/boottable.h).
// `run=NAME,NAME,...` on the command line starts them; each instance gets its index in
// that list as argv[1].
#include <xinim/ipc/endpoints.h>
#include <kernel/boottable.h>

#define TEST_PROGRAM(n) { .name = #n, .path = "/bin/" #n, .priority = PRIO_PROGRAM, .kcalls = KCAP_DEBUG }

// A client of the IPC test server; the badge says which kind of client it is.
#define TEST_CLIENT(n, badge) { .name = #n, .path = "/bin/" #n, .priority = PRIO_PROGRAM, \
	.kcalls = KCAP_DEBUG, .sends = { { XINIM_PID_TEST, badge } } }

// The boot servers start in this order; each one's endpoint is open before the next
// starts, so calls to it wait until it serves. PM comes first: the others' C library
// calls it as they start. They tell PM when they serve (XINIM_NOTE_SERVING).
const struct boot_program boot_programs[] = {
	{ .name = "pm", .path = "/service/pm", .pid = XINIM_PID_PM, .boot = true, .supervised = true,
	  .priority = PRIO_SERVER,
	  .kcalls = KCAP_DEBUG | KCAP_COPY | KCAP_BOOT | KCAP_PROC | KCAP_POWER | KCAP_KEEP |
		    KCAP_RANDOM | KCAP_LOG,
	  .sends = { { XINIM_PID_MM, 0 }, { XINIM_PID_VFS, 0 }, { XINIM_PID_RS, 0 },
		     { XINIM_PID_DEV, 0 }, { XINIM_PID_NET, 0 } } },	// DEV, NET: init waits
									// for them to serve
	{ .name = "vfs", .path = "/service/vfs", .pid = XINIM_PID_VFS, .boot = true, .supervised = true,
	  .priority = PRIO_SERVER,
	  .kcalls = KCAP_DEBUG | KCAP_COPY | KCAP_CONSOLE | KCAP_BOOT | KCAP_KEEP | KCAP_RANDOM |
		    KCAP_LOG | KCAP_GRANT,
	  .sends = { { XINIM_PID_PM, 0 }, { XINIM_PID_NET, 0 } } },	// NET: socket fds
	{ .name = "mm", .path = "/service/mm", .pid = XINIM_PID_MM, .boot = true, .supervised = true,
	  .priority = PRIO_SERVER, .kcalls = KCAP_DEBUG | KCAP_COPY | KCAP_SPACE | KCAP_KEEP | KCAP_LOG,
	  .sends = { { XINIM_PID_PM, 0 } } },
	// DEV, the virtio-net driver (drivers/virtio_net, docs/net.md): its devices are the
	// DTB's virtio,mmio slots; it copies NET's batches and tells NET of frames. Before NET,
	// whose first calls then wait for it.
	{ .name = "virtio_net", .path = "/service/virtio_net", .pid = XINIM_PID_DEV,
	  .boot = true, .supervised = true, .priority = PRIO_SERVER,
	  .kcalls = KCAP_DEVICE | KCAP_COPY | KCAP_KEEP | KCAP_LOG, .device = "virtio,mmio",
	  .sends = { { XINIM_PID_NET, 0 }, { XINIM_PID_PM, 0 } } },	// the notes of dev.h;
									// PM: SERVING
	// NET (docs/net.md): the AF_INET sockets VFS forwards; it calls only the network
	// driver (DEV), and notifies VFS of readiness.
	{ .name = "net", .path = "/service/net", .pid = XINIM_PID_NET, .boot = true,
	  .supervised = true, .priority = PRIO_SERVER,
	  .kcalls = KCAP_DEBUG | KCAP_COPY | KCAP_KEEP | KCAP_RANDOM | KCAP_LOG,
	  .sends = { { XINIM_PID_VFS, 0 }, { XINIM_PID_DEV, 0 }, { XINIM_PID_PM, 0 } } },
	// RS restarts the others when they die (docs/resurrection.md), and the kernel
	// restarts RS. It starts last, as PM starts init once RS serves.
	{ .name = "rs", .path = "/service/rs", .pid = XINIM_PID_RS, .boot = true,
	  .supervised = true, .kernel_restarts = true, .priority = PRIO_SERVER,
	  .kcalls = KCAP_DEBUG | KCAP_RESTART | KCAP_BOOT | KCAP_PROC | KCAP_KEEP | KCAP_COPY |
		    KCAP_LOG,
	  .sends = { { XINIM_PID_VFS, 0 }, { XINIM_PID_PM, 0 }, { XINIM_PID_MM, 0 },	// PM: the
		     { XINIM_PID_NET, 0 }, { XINIM_PID_DEV, 0 } } },			// SERVING note
	TEST_PROGRAM(hello),
	TEST_PROGRAM(spin),
	TEST_PROGRAM(fpcheck),
	TEST_PROGRAM(fault_null),
	TEST_PROGRAM(fault_kernel),
	TEST_PROGRAM(fault_other),
	TEST_PROGRAM(fault_undef),
	TEST_PROGRAM(fault_stack),
	TEST_PROGRAM(badcalls),
	TEST_PROGRAM(sleeper),
	// run=proc_end_spinner,proc_end_receiver,proc_end_caller,proc_ender: PIDs 16-19.
	TEST_PROGRAM(proc_end_spinner),
	TEST_PROGRAM(proc_end_receiver),
	{ .name = "proc_end_caller", .path = "/bin/proc_end_caller", .priority = PRIO_PROGRAM,
	  .kcalls = KCAP_DEBUG, .sends = { { XINIM_PID_FIRST_DYNAMIC + 3, 0 } } },
	{ .name = "proc_ender", .path = "/bin/proc_ender", .priority = PRIO_PROGRAM,
	  .kcalls = KCAP_DEBUG | KCAP_PROC | KCAP_COPY,	// finds its victims by lookup: sends
	  .sends = { { XINIM_PID_FIRST_DYNAMIC, 0 }, { XINIM_PID_FIRST_DYNAMIC + 1, 0 },
		     { XINIM_PID_FIRST_DYNAMIC + 2, 0 } } },
	TEST_PROGRAM(musl_start),
	// At the servers' priority: a server busy with a long transfer on its CPU must not
	// keep it off that CPU, so that what it measures is how soon the servers answer.
	{ .name = "served_meanwhile", .path = "/bin/served_meanwhile", .priority = PRIO_SERVER,
	  .kcalls = KCAP_DEBUG },
	{ .name = "syscalls_pm", .path = "/bin/syscalls_pm", .priority = PRIO_PROGRAM,
	  .kcalls = KCAP_DEBUG | KCAP_TRACE },
	TEST_PROGRAM(bench_kcall),
	TEST_PROGRAM(bench_switch),
	TEST_PROGRAM(bench_getpid),
	{ .name = "ipc_echo", .path = "/bin/ipc_echo", .pid = XINIM_PID_TEST,
	  .priority = PRIO_SERVER, .kcalls = KCAP_DEBUG },
	TEST_CLIENT(ipc_client, 1),
	TEST_CLIENT(ipc_defer, 2),
	TEST_CLIENT(ipc_timeout, 3),
	TEST_CLIENT(ipc_garbage, 4),
	TEST_CLIENT(ipc_bench, 5),
	TEST_CLIENT(ipc_notify, 6),
	TEST_CLIENT(ipc_fpguard, 8),
	{ .name = "ipc_badcalls", .path = "/bin/ipc_badcalls", .priority = PRIO_PROGRAM,
	  .kcalls = KCAP_DEBUG | KCAP_TRACE, .sends = { { XINIM_PID_TEST, 7 } } },
	// The grant test (tests/boot/grants.sh): run=grant_server,grant_caller,grant_grantee.
	{ .name = "grant_server", .path = "/bin/grant_server", .pid = XINIM_PID_TEST,
	  .priority = PRIO_SERVER, .kcalls = KCAP_DEBUG | KCAP_GRANT | KCAP_COPY },
	TEST_CLIENT(grant_caller, 0),
	{ .name = "grant_grantee", .path = "/bin/grant_grantee", .priority = PRIO_PROGRAM,
	  .kcalls = KCAP_DEBUG | KCAP_COPY, .sends = { { XINIM_PID_TEST, 0 } } },
	{ .name = "ipc_denied", .path = "/bin/ipc_denied", .priority = PRIO_PROGRAM,
	  .kcalls = KCAP_DEBUG | KCAP_TRACE },
	// The virtio-net driver from NET's place (userland/test/net_driver.c), which ends and
	// restarts it as RS would, and a caller that is not NET:
	// run=virtio_net,net_driver,net_driver_other.
	{ .name = "net_driver", .path = "/bin/net_driver", .pid = XINIM_PID_NET,
	  .priority = PRIO_SERVER, .kcalls = KCAP_DEBUG | KCAP_PROC | KCAP_RESTART, .sends = { { XINIM_PID_DEV, 0 } } },
	{ .name = "net_driver_other", .path = "/bin/net_driver", .priority = PRIO_PROGRAM,
	  .kcalls = KCAP_DEBUG, .sends = { { XINIM_PID_DEV, 0 } } },
	// A driver's view of the devices (tests/boot/device_access.sh): the one with the
	// device right, and the same program without it.
	{ .name = "devices_probe", .path = "/bin/devices_probe", .priority = PRIO_PROGRAM,
	  .kcalls = KCAP_DEBUG | KCAP_DEVICE, .device = "virtio,mmio" },
	{ .name = "devices_denied", .path = "/bin/devices_probe", .priority = PRIO_PROGRAM,
	  .kcalls = KCAP_DEBUG, .device = "virtio,mmio" },
	// At the servers' priority: it drains the trace rings while PID 1 runs, and a reader
	// that waits behind MM's fault storm lets them wrap.
	{ .name = "trace_syscalls", .path = "/bin/trace_syscalls", .priority = PRIO_SERVER,
	  .kcalls = KCAP_DEBUG | KCAP_TRACE },
};

const unsigned boot_program_count = sizeof(boot_programs) / sizeof(boot_programs[0]);
