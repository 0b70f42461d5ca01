// The hosted backend's KCALL_COPY_TO and KCALL_COPY_FROM (libipc/transport.h), with the
// kernel's rules (kernel/ipc.c, copy_with_caller and copy_once): a server reaches only
// the memory of a process blocked in a call it took and has not answered, named by its
// endpoint with the generation. On the host, callers share the test program's memory.
// Lock: host_lock (kernel.h), held throughout, as the kernel holds the server's endpoint
// lock so that the caller stays blocked.
#define _GNU_SOURCE	// process_vm_readv, process_vm_writev
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/uio.h>
#include <libipc/transport.h>
#include "kernel.h"

#define COPY_PAGE 4096	// XINIM's page: the kernel copies a page at a time

static size_t page_left(uint64_t address) { return COPY_PAGE - address % COPY_PAGE; }

// Copies n bytes between here, the server's, and there, the caller's, as copy_between
// (kernel/arch/aarch64/uvm.c): -EFAULT at the first page that may not be accessed so
// (the caller's must be writable for a copy to it, the server's for a copy from it),
// the pages before it copied. process_vm_readv and _writev check each access as the
// MMU would, where memcpy would crash the test.
long host_copy_pages(bool to_caller, uint64_t there, char *here, size_t n)
{
	while (n) {
		size_t chunk = page_left(there) < page_left((uintptr_t)here) ? page_left(there)
									      : page_left((uintptr_t)here);
		chunk = chunk < n ? chunk : n;
		struct iovec local = { here, chunk }, remote = { (void *)(uintptr_t)there, chunk };
		ssize_t done = to_caller ? process_vm_writev(getpid(), &local, 1, &remote, 1, 0)
					 : process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
		if (done < 0 && errno != EFAULT)
			abort();	// a sandbox forbids the calls: this backend cannot copy
		if (done != (ssize_t)chunk)
			return -EFAULT;
		there += chunk;
		here += chunk;
		n -= chunk;
	}
	return 0;
}

// -EPERM for a thread that is no process (as a process without KCAP_COPY), then
// -EINVAL (too long), -ESRCH (no such caller) and -EFAULT, in the kernel's order.
long transport_copy(int to_caller, xinim_endpoint_t caller, uint64_t there, void *here, size_t n)
{
	host_enter();
	xinim_endpoint_t self = host_self();
	long err = -EPERM;
	if (self != XINIM_ENDPOINT_NONE)
		err = n > XINIM_COPY_MAX ? -EINVAL : host_blocked_on(self, caller) ? 0 : -ESRCH;
	if (!err)
		err = host_copy_pages(to_caller, there, here, n);
	host_leave();
	return err;
}
