#pragma once
// The server loop's fault injection (libipc/inject.c), private to libipc.
#include <stdbool.h>
#include <libipc/ipc.h>

// Takes XINIM_RS_PING and XINIM_RS_INJECT (true, *result set: the request is answered),
// or counts request and crashes or hangs if it is the one RS named (false: it is handled
// as usual).
bool ipc_injected(const struct ipc_request *request, long *result);
