// The XINIM backend: each transport call is one kernel call (svc #1).
#include <stddef.h>
#include <libipc/transport.h>
#include <xinim/runtime.h>	// xinim_kcall6: the grant calls take six arguments

static inline long kcall(long number, long a0, long a1, long a2, long *x1_out)
{
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;
	register long x2 __asm__("x2") = a2;
	register long x8 __asm__("x8") = number;
	__asm__ volatile("svc #1" : "+r"(x0), "+r"(x1) : "r"(x2), "r"(x8) : "memory");
	if (x1_out)
		*x1_out = x1;
	return x0;
}

long transport_self(void) { return kcall(KCALL_IPC_SELF, 0, 0, 0, NULL); }

long transport_lookup(unsigned pid) { return kcall(KCALL_IPC_LOOKUP, pid, 0, 0, NULL); }

long transport_channel(xinim_endpoint_t peer, enum xinim_direction direction,
		       struct xinim_channel *out)
{
	return kcall(KCALL_IPC_CHANNEL, peer, direction, (long)out, NULL);
}

long transport_call(struct xinim_msg *msg, uint64_t timeout_us)
{
	return kcall(KCALL_IPC_CALL, (long)msg, (long)timeout_us, 0, NULL);
}

long transport_send(const struct xinim_msg *msg, uint64_t timeout_us)
{
	return kcall(KCALL_IPC_SEND, (long)msg, (long)timeout_us, 0, NULL);
}

long transport_receive(struct xinim_msg *msg, uint64_t timeout_us, uint64_t *badge)
{
	long x1;
	long result = kcall(KCALL_IPC_RECEIVE, (long)msg, (long)timeout_us, 0, &x1);
	*badge = (uint64_t)x1;
	return result;
}

long transport_reply(const struct xinim_msg *msg)
{
	return kcall(KCALL_IPC_REPLY, (long)msg, 0, 0, NULL);
}

long transport_reply_receive(const struct xinim_msg *reply, struct xinim_msg *msg,
			    uint64_t timeout_us, uint64_t *badge)
{
	long x1;
	long result = kcall(KCALL_IPC_REPLY_RECEIVE, (long)reply, (long)msg, (long)timeout_us, &x1);
	*badge = (uint64_t)x1;
	return result;
}

long transport_notify(xinim_endpoint_t dest, uint64_t bits)
{
	return kcall(KCALL_IPC_NOTIFY, dest, (long)bits, 0, NULL);
}

long transport_rejected(const struct xinim_msg_header *header, enum xinim_trace_verdict verdict)
{
	return kcall(KCALL_IPC_REJECTED, (long)header, verdict, 0, NULL);
}

long transport_copy(int to_caller, xinim_endpoint_t caller, uint64_t there, void *here, size_t n)
{
	register long x0 __asm__("x0") = caller;
	register long x1 __asm__("x1") = (long)there;
	register long x2 __asm__("x2") = (long)here;
	register long x3 __asm__("x3") = (long)n;
	register long x8 __asm__("x8") = to_caller ? KCALL_COPY_TO : KCALL_COPY_FROM;
	__asm__ volatile("svc #1" : "+r"(x0), "+r"(x1) : "r"(x2), "r"(x3), "r"(x8) : "memory");
	return x0;
}

void transport_pause(uint64_t microseconds)
{
	if (kcall(KCALL_DEBUG_SLEEP, (long)microseconds, 0, 0, NULL) < 0)
		kcall(KCALL_DEBUG_YIELD, 0, 0, 0, NULL);	// no debug right: at least yield
}

long transport_grant_make(xinim_endpoint_t caller, uint64_t call_id, xinim_endpoint_t grantee,
			  uint64_t va, uint64_t length, unsigned access)
{
	return xinim_kcall6(KCALL_GRANT_MAKE, caller, (long)call_id, grantee, (long)va,
			    (long)length, access);
}

long transport_grant_copy(uint64_t grant, uint64_t offset, void *here, uint64_t n,
			  unsigned access)
{
	return xinim_kcall6(KCALL_GRANT_COPY, (long)grant, (long)offset, (long)here, (long)n,
			    access, 0);
}

long transport_grant_end(uint64_t grant)
{
	return kcall(KCALL_GRANT_END, (long)grant, 0, 0, NULL);
}
