#pragma once
// The server loop: receive, check the request against its row in the server's table,
// run the handler, reply. A server's table.c is one array of routes indexed by message
// type minus the first type of the server's range.
#include <stdint.h>
#include <libipc/ipc.h>

// What a handler returns to say the reply comes later (the handler keeps the caller's
// endpoint and answers with ipc_reply); any other value is the reply's result.
#define IPC_DEFERRED (-0x10000L)

// reply arrives zeroed; the handler fills its length and payload.
typedef long ipc_handler(const struct ipc_request *request, struct xinim_msg *reply);

struct ipc_route {
	ipc_handler *handle;
	uint16_t length;	// the payload length a request of this type must have
};

struct ipc_table {
	int32_t first;		// the message type of routes[0]
	unsigned count;
	const struct ipc_route *routes;
	// Notifications (messages from the kernel of type XINIM_MSG_NOTIFY); NULL drops them.
	void (*notified)(const struct xinim_notification *note);
};

// Handles one message: unknown types get -ENOSYS, a wrong length -EINVAL (a send
// that fails so is dropped). 0, or ipc_receive's error.
long ipc_serve_one(const struct ipc_table *table, uint64_t timeout_us);

// Serves forever.
void ipc_serve(const struct ipc_table *table) __attribute__((__noreturn__));
