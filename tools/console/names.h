#pragma once
// Who an endpoint is, as the console shows it: "kernel", a server's name ("vfs"), or a
// process's name and PID ("hello-musl[1]") from the names the trace gave.
#include <stdbool.h>
#include <stddef.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/trace.h>

#define NAME_SHOWN_MAX 32	// "name[65535]" with a 16-byte name, and the NUL

struct names {
	struct name_entry {
		xinim_endpoint_t endpoint;	// the instance named
		char name[XINIM_TRACE_NAME_SIZE + 1];
	} *by_pid;			// XINIM_PID_MASK + 1 entries
};

int names_init(struct names *names);	// 0 or -ENOMEM
void names_free(struct names *names);
void names_forget(struct names *names);	// a new boot
void names_set(struct names *names, xinim_endpoint_t endpoint,
	       const char name[XINIM_TRACE_NAME_SIZE]);

// Endpoint's name as shown, in out (NAME_SHOWN_MAX bytes); returns out.
const char *names_show(const struct names *names, xinim_endpoint_t endpoint, char *out);

// Whether endpoint is the process query names: a PID in decimal, or a name as shown
// without its PID ("hello-musl", "vfs", "kernel").
bool names_match(const struct names *names, xinim_endpoint_t endpoint, const char *query);

// Whether pid's name is fixed (the kernel's, a server's) rather than given by the trace.
bool names_fixed(unsigned pid);

// The PID of a server by its name ("vfs"), or by its PID in decimal; -1 if neither.
int names_server_pid(const char *name);
