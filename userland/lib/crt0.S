// Entry of a freestanding program: the Linux initial stack (argc, argv, envp, auxv)
// is at sp. start_c gets sp and calls main.
	.text
	.globl	_start
_start:
	mov	x29, #0
	mov	x30, #0
	mov	x0, sp
	bl	start_c
1:	b	1b
