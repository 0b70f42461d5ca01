#pragma once
// The server loop's fault injection (libipc/inject.c), private to libipc.
#include <stdbool.h>
#include <libipc/ipc.h>

// Takes what RS asks of every server, XINIM_RS_PING and XINIM_RS_INJECT: true, *result
// set (the request is answered); false for any other request.
bool ipc_rs_asked(const struct ipc_request *request, long *result);

// Counts a request (or notification) about to run, and crashes or hangs if it is the one
// RS named.
void ipc_injected(void);
