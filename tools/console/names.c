// The names of processes, per PID: fixed for the servers, from the trace for the rest.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "names.h"

static const char *const server_names[] = {
	[XINIM_PID_VFS] = "vfs", [XINIM_PID_PM] = "pm", [XINIM_PID_MM] = "mm",
	[XINIM_PID_NET] = "net", [XINIM_PID_RS] = "rs",
};
#define SERVER_PIDS (sizeof(server_names) / sizeof(server_names[0]))

int names_init(struct names *names)
{
	names->by_pid = calloc(XINIM_PID_MASK + 1, sizeof(*names->by_pid));
	return names->by_pid ? 0 : -ENOMEM;
}

void names_free(struct names *names)
{
	free(names->by_pid);
	names->by_pid = NULL;
}

void names_forget(struct names *names)
{
	memset(names->by_pid, 0, (XINIM_PID_MASK + 1) * sizeof(*names->by_pid));
}

void names_set(struct names *names, xinim_endpoint_t endpoint,
	       const char name[XINIM_TRACE_NAME_SIZE])
{
	struct name_entry *e = &names->by_pid[xinim_endpoint_pid(endpoint)];
	e->endpoint = endpoint;
	memcpy(e->name, name, XINIM_TRACE_NAME_SIZE);
	e->name[XINIM_TRACE_NAME_SIZE] = '\0';
}

static const char *server_name(unsigned pid)
{
	return pid < SERVER_PIDS ? server_names[pid] : NULL;
}

bool names_fixed(unsigned pid)
{
	return pid == XINIM_PID_KERNEL || server_name(pid);
}

// The name without the PID; NULL if the trace gave none.
static const char *base_name(const struct names *names, xinim_endpoint_t endpoint)
{
	unsigned pid = xinim_endpoint_pid(endpoint);
	if (endpoint == XINIM_ENDPOINT_KERNEL)
		return "kernel";
	if (server_name(pid))
		return server_name(pid);
	const struct name_entry *e = &names->by_pid[pid];
	return e->name[0] ? e->name : NULL;
}

const char *names_show(const struct names *names, xinim_endpoint_t endpoint, char *out)
{
	unsigned pid = xinim_endpoint_pid(endpoint);
	const char *name = base_name(names, endpoint);
	if (endpoint == XINIM_ENDPOINT_NONE)
		snprintf(out, NAME_SHOWN_MAX, "none");
	else if (endpoint == XINIM_ENDPOINT_KERNEL || server_name(pid))
		snprintf(out, NAME_SHOWN_MAX, "%s", name);
	else
		snprintf(out, NAME_SHOWN_MAX, "%s[%u]", name ? name : "?", pid);
	return out;
}

// The decimal number query is, or -1.
static long decimal(const char *query)
{
	char *end;
	long n = strtol(query, &end, 10);
	return *query && !*end && n >= 0 ? n : -1;
}

bool names_match(const struct names *names, xinim_endpoint_t endpoint, const char *query)
{
	long pid = decimal(query);
	if (pid >= 0)
		return endpoint != XINIM_ENDPOINT_NONE && xinim_endpoint_pid(endpoint) == pid;
	const char *name = base_name(names, endpoint);
	return name && !strcmp(name, query);
}

int names_server_pid(const char *name)
{
	long pid = decimal(name);
	if (pid >= 0)
		return pid <= XINIM_PID_MASK ? (int)pid : -1;
	for (unsigned i = 0; i < SERVER_PIDS; i++)
		if (server_names[i] && !strcmp(server_names[i], name))
			return (int)i;
	return !strcmp(name, "kernel") ? XINIM_PID_KERNEL : -1;
}
