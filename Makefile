MAKEFLAGS += --no-print-directory
# Thin wrapper: the build is CMake (CMakeLists.txt); these are the commands people type.
BUILD  ?= build
SMP    ?= 4
MEM    ?= 512M
APPEND ?=
EXTRA_ROOTFS ?=
JOBS   ?= $(shell nproc)

.PHONY: all deps configure build run debug test bench clean

all: build

deps:
	@tools/deps.sh $(abspath $(BUILD))/sysroot

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
	@ln -sf $(BUILD)/compile_commands.json compile_commands.json

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@boot/run.sh --build $(BUILD) --smp $(SMP) --mem $(MEM) --append "$(APPEND)" \
		--extra-rootfs "$(EXTRA_ROOTFS)"

debug: build
	@boot/run.sh --build $(BUILD) --smp $(SMP) --mem $(MEM) --append "$(APPEND)" --gdb

test: build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# Figures, not tests: instruction counts under qemu -icount (tools/bench.sh).
bench: build
	@tools/bench.sh $(BUILD)

clean:
	@rm -rf $(BUILD) compile_commands.json
