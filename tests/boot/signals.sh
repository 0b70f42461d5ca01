#!/usr/bin/env bash
# Signals delivered for real (docs/processes.md, Signals): init=/bin/signals checks
# handlers and their siginfo, the FP/SIMD registers after a handler, masks, a SIGSEGV
# handler that recovers, the sigreturn trampoline, SA_RESTART vs EINTR, sigsuspend,
# sigtimedwait, sigaltstack, stops and continues, default actions and status macros,
# SIGCHLD, and init's immunity; every frame comes back once init has ended.
source "$(dirname "$0")/lib.sh"

boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/signals"
while read -r line; do
	expect "^signals: ${line}: ok\$" "$line"
done <<'CHECKS'
raise: the handler ran before raise returned, with si_code SI_TKILL and si_pid
kill of itself: handled at once, SI_USER
sigqueue: si_code SI_QUEUE and si_value 42
the FP/SIMD registers are the program's again after a handler that changed them
a blocked signal stays pending \(sigpending\), and runs as sigprocmask unblocks it
SIG_IGN drops a pending blocked signal
a SIGSEGV handler sees si_addr and SEGV_MAPERR, and recovers with siglongjmp
a write to text: SEGV_ACCERR
siglongjmp put the mask back
a handler without SA_RESTORER returns through the trampoline
a handler without SA_RESTART: waitpid fails with EINTR
a handler with SA_RESTART: waitpid goes on and returns the child
nanosleep ends with EINTR, even under SA_RESTART, and gives the time left
pause \(ppoll in VFS\): a handler ends it with EINTR, even under SA_RESTART
sigsuspend: the handler ran, EINTR, and the mask is back
sigwaitinfo takes a queued signal with its value and sender
sigtimedwait times out with EAGAIN
sigaltstack: none at first, one set
an SA_ONSTACK handler runs on it
on it, sigaltstack says SS_ONSTACK and refuses a change \(EPERM\)
a stack under MINSIGSTKSZ: ENOMEM
SIGSTOP: the parent's WUNTRACED wait sees WIFSTOPPED, WSTOPSIG SIGSTOP
SIGCONT: WCONTINUED sees WIFCONTINUED
a SIGTERM sent while stopped kills once SIGCONT comes
SIGKILL ends a stopped child
SIGTERM ignored, SIGURG ignored by default, SIGQUIT: WIFSIGNALED, no WCOREDUMP
abort with RLIMIT_CORE: WTERMSIG SIGABRT and WCOREDUMP
waitid: CLD_EXITED with status 3
SIGCHLD: CLD_EXITED from the child
SIGCHLD ignored: no zombie, the wait finds ECHILD
init takes no signal whose action is the default
CHECKS
expect '^signals: 0 failures$' "every check passed"
expect '^init exited with status 0; powering off$' "init ended"
expect_none 'panic|FAILED' "no panic, no failed check"
expect_memory_back
finish
