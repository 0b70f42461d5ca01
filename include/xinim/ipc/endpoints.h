#pragma once
// Endpoints (docs/architecture.md, Endpoints and PIDs): a PID and the generation of the
// process that holds it. A restarted server keeps its PID and gets a new generation, so a
// message addressed to the dead instance fails cleanly.
#include <stdint.h>

typedef uint32_t xinim_endpoint_t;

#define XINIM_PID_BITS 16
#define XINIM_PID_MASK ((1u << XINIM_PID_BITS) - 1)

enum xinim_pid {
	XINIM_PID_KERNEL = 0,	// the kernel's own end of the channels it terminates
	XINIM_PID_INIT = 1,
	XINIM_PID_VFS = 2,
	XINIM_PID_PM = 3,
	XINIM_PID_MM = 4,
	XINIM_PID_NET = 5,
	XINIM_PID_DEV = 6,	// the network device's driver (virtio-net)
	XINIM_PID_RS = 7,
	XINIM_PID_TEST = 8,	// a fixed PID for test and benchmark servers
	XINIM_PID_FIRST_DYNAMIC = 16,	// PIDs below are only given by the boot table
};

#define XINIM_ENDPOINT_KERNEL ((xinim_endpoint_t)0)
#define XINIM_ENDPOINT_NONE   ((xinim_endpoint_t)0xffffffffu)

static inline xinim_endpoint_t xinim_endpoint(unsigned pid, unsigned generation)
{
	return (xinim_endpoint_t)(generation << XINIM_PID_BITS | (pid & XINIM_PID_MASK));
}

static inline unsigned xinim_endpoint_pid(xinim_endpoint_t ep) { return ep & XINIM_PID_MASK; }

// The servers RS restarts (the boot table marks them supervised; docs/resurrection.md):
// a call to one that dies waits for its next instance.
static inline int xinim_pid_supervised(unsigned pid)
{
	return pid == XINIM_PID_VFS || pid == XINIM_PID_PM || pid == XINIM_PID_MM ||
	       pid == XINIM_PID_NET || pid == XINIM_PID_DEV;
}

static inline unsigned xinim_endpoint_generation(xinim_endpoint_t ep)
{
	return ep >> XINIM_PID_BITS;
}
