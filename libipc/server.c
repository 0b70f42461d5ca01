// The server loop (libipc/include/libipc/server.h).
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <libipc/server.h>

// The route for a request, or the error its caller gets.
static long route(const struct ipc_table *table, const struct xinim_msg *msg,
		  const struct ipc_route **out)
{
	int64_t index = (int64_t)msg->header.type - table->first;
	if (index < 0 || index >= table->count || !table->routes[index].handle)
		return -ENOSYS;
	if (msg->header.length != table->routes[index].length)
		return -EINVAL;
	*out = &table->routes[index];
	return 0;
}

// Runs request's handler; true when a reply (result, and reply's payload) is due now.
static bool handle(const struct ipc_table *table, const struct ipc_request *request,
		   struct xinim_msg *reply, long *result)
{
	const struct ipc_route *r = NULL;
	const struct xinim_msg_header *h = &request->msg.header;
	if (h->source == XINIM_ENDPOINT_KERNEL && h->type == XINIM_MSG_NOTIFY) {
		if (table->notified && h->length == sizeof(struct xinim_notification)) {
			struct xinim_notification note;
			memcpy(&note, request->msg.payload, sizeof(note));
			table->notified(&note);
		}
		return false;
	}
	*reply = (struct xinim_msg){ .header.id = request->msg.header.id };
	*result = route(table, &request->msg, &r);
	if (!*result)
		*result = r->handle(request, reply);
	if (reply->header.length > XINIM_PAYLOAD_MAX) {	// a handler's bug: the caller is told
		reply->header.length = 0;
		*result = -EIO;
	}
	return request->is_call && *result != IPC_DEFERRED;
}

long ipc_serve_one(const struct ipc_table *table, uint64_t timeout_us)
{
	struct ipc_request request;
	struct xinim_msg reply;
	long result, err = ipc_receive(&request, timeout_us);
	if (err)
		return err;
	if (handle(table, &request, &reply, &result))
		ipc_reply(request.msg.header.source, result, &reply);
	return 0;
}

// Each reply goes out with the receive of the next request, in one kernel call.
void ipc_serve(const struct ipc_table *table)
{
	struct ipc_request request;
	struct xinim_msg reply;
	long result;
	bool replying = false;
	for (;;) {
		long err = replying ? ipc_reply_receive(request.msg.header.source, result, &reply,
							&request, XINIM_WAIT_FOREVER)
				    : ipc_receive(&request, XINIM_WAIT_FOREVER);
		replying = !err && handle(table, &request, &reply, &result);
	}
}
