MAKEFLAGS += --no-print-directory
# Thin wrapper: the build is CMake (CMakeLists.txt); these are the commands people type.
BUILD  ?= build
SMP    ?= 4
MEM    ?= 512M
APPEND ?=
# The kernel command line before APPEND (docs/boot.md): `quiet` keeps the kernel log's
# routine lines off the console, so that a session shows programs' output (dmesg shows
# the log); CMDLINE= shows them all.
CMDLINE ?= quiet
EXTRA_ROOTFS ?=
JOBS   ?= $(shell nproc)
FUZZ_BUILD ?= build-fuzz
FUZZ_CALLS ?= 1000000
FUZZ_TIME  ?= 600
FUZZ_SEED  ?=
SOAK_KILLS ?= 100
SOAK_SEED  ?=

.PHONY: all deps configure build run debug test bench fuzz soak clean

all: build

deps:
	@tools/deps.sh $(abspath $(BUILD))/sysroot

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
	@ln -sf $(BUILD)/compile_commands.json compile_commands.json

# Quiet: the build's output goes to $(BUILD)/build.log. On failure the log is shown
# without its progress lines ("[ 42%] Building ...", "Built target ..."), so the errors
# stand out, in full.
build: configure
	@echo "build: cmake --build $(BUILD) (output in $(BUILD)/build.log)"
	@cmake --build $(BUILD) -j $(JOBS) >$(BUILD)/build.log 2>&1 || { \
		grep -vE '^\[ *[0-9]+%\] ' $(BUILD)/build.log; \
		echo "build: FAILED (the whole output is in $(BUILD)/build.log)"; exit 1; }

# --trace-ram: the host console (build/tools/console/xinim-console trace) can attach.
# HOSTFWD=HOSTPORT:GUESTPORT: the host's 127.0.0.1:HOSTPORT reaches the guest's TCP port.
run: build
	@boot/run.sh --build $(BUILD) --smp $(SMP) --mem $(MEM) --append "$(strip $(CMDLINE) $(APPEND))" \
		--extra-rootfs "$(EXTRA_ROOTFS)" --trace-ram $(if $(HOSTFWD),--hostfwd $(HOSTFWD))

debug: build
	@boot/run.sh --build $(BUILD) --smp $(SMP) --mem $(MEM) --append "$(APPEND)" --gdb

test: build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# Figures, not tests: instruction counts under qemu -icount (tools/bench.sh).
bench: build
	@tools/bench.sh $(BUILD)

# Fuzzing, not a test (docs/fuzzing.md): the in-guest fuzzer for FUZZ_CALLS calls (seed
# FUZZ_SEED, default the time), then each server's libFuzzer target for FUZZ_TIME seconds,
# built with clang's sanitizers in $(FUZZ_BUILD), a tree of its own.
fuzz: build
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DXINIM_FUZZ=ON \
		-DXINIM_SYSROOT=$(abspath $(BUILD))/sysroot >/dev/null
	@echo "fuzz: cmake --build $(FUZZ_BUILD) (output in $(FUZZ_BUILD)/build.log)"
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_vfs fuzz_pm fuzz_mm fuzz_net \
		>$(FUZZ_BUILD)/build.log 2>&1 || { cat $(FUZZ_BUILD)/build.log; exit 1; }
	@FUZZ_CALLS=$(FUZZ_CALLS) FUZZ_TIME=$(FUZZ_TIME) FUZZ_SEED=$(FUZZ_SEED) tools/fuzz.sh $(BUILD) $(FUZZ_BUILD)

# Resurrection under many kills (docs/resurrection.md): VFS, PM and MM each killed
# SOAK_KILLS times (seed SOAK_SEED, default the time) while the workload runs.
soak: build
	@seed=$${SOAK_SEED:-$$(date +%s)}; status=0; log=$(abspath $(BUILD))/soak.log; : >$$log; \
	for server in vfs pm mm; do \
		echo "soak: $$server killed $(SOAK_KILLS) times, seed $$seed"; \
		BUILD=$(abspath $(BUILD)) tests/boot/resurrection.sh $$server $(SOAK_KILLS) $$seed \
			>>$$log 2>&1 || status=1; \
		tail -n 1 $$log; \
	done; grep '^FAIL' $$log; echo "soak: the whole output is in $$log"; exit $$status

clean:
	@rm -rf $(BUILD) $(FUZZ_BUILD) compile_commands.json
