// The terminal's session and foreground process group (job control): stubs until
// PM tells VFS each process's group and session.
#include <errno.h>
#include "vfs.h"

long tty_may_read(struct node *node, xinim_endpoint_t caller)
{
	(void)node, (void)caller;
	return 0;
}

long tty_may_write(struct node *node, xinim_endpoint_t caller)
{
	(void)node, (void)caller;
	return 0;
}

long tty_session_ioctl(struct tty *t, struct node *node, xinim_endpoint_t caller,
		       unsigned request, uint64_t arg)
{
	(void)t, (void)node, (void)caller, (void)request, (void)arg;
	return -ENOTTY;
}

void tty_signals_raise(int32_t pgrp, uint32_t signals)
{
	(void)pgrp, (void)signals;
}
