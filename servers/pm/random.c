// getrandom: the kernel's CSPRNG, always ready (seeded before any process runs).
#include <errno.h>
#include <sys/random.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "pm.h"

#define GETRANDOM_MAX 33554431	// Linux's cap on one call

long pm_getrandom(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	uint64_t to = call.args[0], n = call.args[1];
	uint64_t flags = call.args[2];
	if (flags & ~(uint64_t)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) ||
	    (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;	// as Linux: unknown flags, or both kinds of pool at once
	n = n < GETRANDOM_MAX ? n : GETRANDOM_MAX;
	uint8_t bytes[256];
	for (uint64_t done = 0; done < n;) {
		size_t chunk = n - done < sizeof(bytes) ? n - done : sizeof(bytes);
		long err = xinim_kcall(KCALL_RANDOM, (long)bytes, (long)chunk);
		if (err >= 0)
			err = ipc_copy_to(call.caller, to + done, bytes, chunk);
		if (err)
			return done ? (long)done : err;
		done += chunk;
	}
	return (long)n;
}
