// The server loop (libipc/include/libipc/server.h).
#include <errno.h>
#include <stddef.h>
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

long ipc_serve_one(const struct ipc_table *table, uint64_t timeout_us)
{
	struct ipc_request request;
	long err = ipc_receive(&request, timeout_us);
	if (err)
		return err;
	const struct ipc_route *r = NULL;
	struct xinim_msg reply = { .header.id = request.msg.header.id };
	long result = route(table, &request.msg, &r);
	if (!result)
		result = r->handle(&request, &reply);
	if (request.is_call && result != IPC_DEFERRED)
		ipc_reply(request.msg.header.source, result, &reply);
	return 0;
}

void ipc_serve(const struct ipc_table *table)
{
	for (;;)
		ipc_serve_one(table, XINIM_WAIT_FOREVER);
}
