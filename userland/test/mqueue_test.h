#pragma once
// userland/test/mqueue.c's checks and helpers, shared with mqueue_wait.c.
#include <mqueue.h>
#include <sys/types.h>
#include <time.h>

// Prints "mqueue: WHAT: ok" or "...: FAILED", counted.
void check(int ok, const char *what);
// A new queue (any old one of that name unlinked first), made with O_CREAT | O_EXCL.
mqd_t make(const char *name, long maxmsg, long msgsize, int flags);
long curmsgs(mqd_t q);
void sleep_ms(long ms);
// Waits for child: whether it exited 0 (else its status is printed: the bits of the
// checks it failed).
int child_passed(pid_t child);
// CLOCK_REALTIME ms from now: an absolute timeout.
struct timespec from_now(long ms);

// mqueue_wait.c
void waits(void);
void notification(void);
void registration_across_exec(void);
void across_a_restart(void);
// The image the registered process runs after its execve ("after-exec FD"): its status.
int after_exec(int fd);
