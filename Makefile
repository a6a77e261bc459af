# napkin: `make` builds images/napkin.elf, `make run` boots it, `make test` tests it.
# QuickJS and the C runtime are compiled once; a TypeScript change only
# re-bundles the kernel and relinks.

QJS_DIR   := deps/quickjs_2021_03_27
MUSL_DIR  := deps/musl
MUSL_INC  := $(MUSL_DIR)/usr/include/i386-linux-musl
MUSL_LIB  := $(MUSL_DIR)/usr/lib/i386-linux-musl

# Set-up comes before anything depends on it: make first builds
# build/toolchain.mk (running tools/setup.sh, which may install gcc-multilib),
# then restarts and reads the 32-bit toolchain paths recorded there. Asking
# gcc at parse time instead would find the 64-bit libgcc on a fresh machine.
ifneq ($(MAKECMDGOALS),clean)
include build/toolchain.mk
endif

# The Pentium 4's instructions (SSE2 for doubles); the host's qjsbc is
# built the same, so tools/bench cost counts what the guest runs. Tuning for
# the P6 (-mtune=i686, and no alignment) cuts 2% of the instructions, but v86
# runs those choices more slowly: ping p50 +3% and a longer p99 tail.
CPU_FLAGS := -m32 -march=pentium4 -mfpmath=sse
TARGET_CFLAGS := $(CPU_FLAGS) -O2 -fno-pic -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables -ffunction-sections -fdata-sections \
	-nostdinc -isystem $(MUSL_INC) -isystem $(GCC_INC) -D_GNU_SOURCE
BOOT_CFLAGS := $(TARGET_CFLAGS) -std=gnu11 -Wall -Wextra -Werror -isystem $(QJS_DIR)
QJS_CFLAGS  := $(TARGET_CFLAGS) -DCONFIG_VERSION=\"2021-03-27\" -w
QJS_SRCS    := quickjs.c libregexp.c libunicode.c cutils.c

BOOT_C   := $(wildcard boot/*.c)
BOOT_OBJ := $(BOOT_C:boot/%.c=build/boot/%.o) build/boot/multiboot.o build/boot/isr.o
# quickjs.c itself is built inside boot/js_frame.c, which reads its internals.
QJS_OBJ  := $(filter-out build/quickjs/quickjs.o,$(QJS_SRCS:%.c=build/quickjs/%.o))
TS_SRCS  := $(shell find kernel drivers net -name '*.ts' 2>/dev/null)

# The kernel bundle goes in as QuickJS bytecode (BUNDLE=bytecode, faster to
# boot) or as source (BUNDLE=source).
BUNDLE ?= bytecode
ifeq ($(BUNDLE),bytecode)
KERNEL_BUNDLE := build/kernel.bc
BUNDLE_IS_BYTECODE := 1
else
KERNEL_BUNDLE := build/kernel.js
BUNDLE_IS_BYTECODE := 0
endif

.PHONY: all setup run web test check fmt bench clean FORCE
all: images/napkin.elf

setup:
	@tools/setup.sh

build/toolchain.mk: tools/setup.sh package.json boot/quickjs-patches/series $(wildcard boot/quickjs-patches/*.patch)
	@tools/setup.sh
	@mkdir -p build
	@echo "GCC_INC := $$(gcc -m32 -print-file-name=include)" > $@.tmp
	@echo "LIBGCC := $$(gcc -m32 -print-libgcc-file-name)" >> $@.tmp
	@mv $@.tmp $@

# The flags the C was built with: rewritten only when they change, so a
# change of CPU_FLAGS or TARGET_CFLAGS rebuilds the objects that use them.
build/cflags: FORCE
	@mkdir -p build
	@echo '$(TARGET_CFLAGS)' | cmp -s - $@ || echo '$(TARGET_CFLAGS)' > $@

build/quickjs/%.o: $(QJS_DIR)/%.c build/toolchain.mk build/cflags
	@mkdir -p $(dir $@)
	gcc $(QJS_CFLAGS) -c $< -o $@

# The allocator must not let GCC fold malloc + memset into calloc: inside
# calloc that is a call to itself (boot/malloc.c runs a self-test at boot).
build/boot/malloc.o: BOOT_CFLAGS += -fno-builtin

# QuickJS with the few reaches into its internals napkin needs (boot/js_frame.h).
build/boot/js_frame.o: boot/js_frame.c boot/js_frame.h boot/mem.h $(QJS_DIR)/quickjs.c build/toolchain.mk build/cflags
	@mkdir -p $(dir $@)
	gcc $(BOOT_CFLAGS) -DCONFIG_VERSION=\"2021-03-27\" -c $< -o $@

build/boot/%.o: boot/%.c $(wildcard boot/*.h) build/toolchain.mk build/cflags
	@mkdir -p $(dir $@)
	gcc $(BOOT_CFLAGS) -c $< -o $@

build/boot/%.o: boot/%.S
	@mkdir -p $(dir $@)
	gcc -m32 -c $< -o $@

# An ES module, not a script wrapped in a function: QuickJS gives a module's
# top-level variables their closure references up front, whereas a wrapper
# function's locals are found by a walk of every reference made so far, once
# for each variable each of the kernel's functions uses (boot: 21.7 M -> 16.5 M
# guest instructions).
build/kernel.js: $(TS_SRCS) build/toolchain.mk
	@mkdir -p build
	npx esbuild kernel/entry.ts --bundle --format=esm --target=es2020 --platform=neutral \
		--legal-comments=none --log-level=warning --outfile=$@

# qjsbc: a host build of the same QuickJS (32-bit, same configuration and code
# generation) that compiles the bundle to bytecode the guest can load (and,
# with --run, runs a script that way: the tests of boot/quickjs-patches, and
# tools/bench cost, whose instruction counts stand for the guest's).
QJSBC_SRCS := tools/qjsbc.c tools/qjsbc_engine.c boot/stack_natives.c boot/checksum.c boot/hsiphash.c \
	$(filter-out $(QJS_DIR)/quickjs.c,$(QJS_SRCS:%=$(QJS_DIR)/%))
QJSBC_CFLAGS := $(CPU_FLAGS) -O2 -fno-stack-protector -fno-pie -no-pie -w \
	-DCONFIG_VERSION=\"2021-03-27\" -D_GNU_SOURCE -I$(QJS_DIR)
QJSBC_DEPS := $(QJSBC_SRCS) $(QJS_DIR)/quickjs.c $(wildcard boot/*.h) build/toolchain.mk build/cflags
build/host/qjsbc: $(QJSBC_DEPS)
	@mkdir -p build/host
	gcc $(QJSBC_CFLAGS) $(QJSBC_SRCS) -lm -lpthread -o $@

# The same, counting each bytecode instruction it runs (tools/bench cost --ops).
build/host/qjsbc-ops: $(QJSBC_DEPS)
	@mkdir -p build/host
	gcc $(QJSBC_CFLAGS) -DNAPKIN_OP_COUNTS $(QJSBC_SRCS) -lm -lpthread -o $@

build/kernel.bc: build/kernel.js build/host/qjsbc
	build/host/qjsbc build/kernel.js $@

build/boot/bundle-$(BUNDLE).o: boot/bundle.S $(KERNEL_BUNDLE)
	@mkdir -p $(dir $@)
	gcc -m32 -DKERNEL_BUNDLE='"$(KERNEL_BUNDLE)"' -DKERNEL_BUNDLE_IS_BYTECODE=$(BUNDLE_IS_BYTECODE) -c $< -o $@

# Switching BUNDLE must relink even when every object is up to date.
build/bundle-mode: FORCE
	@mkdir -p build
	@echo $(BUNDLE) | cmp -s - $@ || echo $(BUNDLE) > $@

# The image links twice, as Linux does for kallsyms: first with an empty
# symbol table, whose functions boot/kallsyms.sh then lists with nm; then
# with that table in .kallsyms, the last section (boot/linker.ld). Every
# symbol but kernel_image_end must keep its address between the two.
LINK := ld -m elf_i386 -T boot/linker.ld -nostdlib --gc-sections --no-warn-rwx-segments -z noexecstack
IMAGE_INPUTS := $(BOOT_OBJ) build/boot/bundle-$(BUNDLE).o $(QJS_OBJ) $(MUSL_LIB)/libc.a $(LIBGCC)

build/kallsyms/empty.S: boot/kallsyms.sh
	@mkdir -p $(dir $@)
	boot/kallsyms.sh > $@.tmp && mv $@.tmp $@

build/kallsyms/%.o: build/kallsyms/%.S
	gcc -m32 -c $< -o $@

build/napkin.nosyms.elf: $(BOOT_OBJ) $(QJS_OBJ) build/boot/bundle-$(BUNDLE).o build/kallsyms/empty.o boot/linker.ld build/bundle-mode
	$(LINK) -o $@ $(IMAGE_INPUTS) build/kallsyms/empty.o

build/kallsyms/table.S: build/napkin.nosyms.elf boot/kallsyms.sh
	boot/kallsyms.sh $< > $@.tmp && mv $@.tmp $@

images/napkin.elf: build/napkin.nosyms.elf build/kallsyms/table.o boot/kallsyms_check.sh
	@mkdir -p images
	$(LINK) -o $@ $(IMAGE_INPUTS) build/kallsyms/table.o
	boot/kallsyms_check.sh build/napkin.nosyms.elf $@ || { rm -f $@; exit 1; }
	@echo "built $@ ($$(stat -c %s $@) bytes, bundle: $(BUNDLE))"

run: all
	@npx tsx tools/run.ts $(ARGS)

# `make web`: napkin in a browser page on http://127.0.0.1:8086/ (Ctrl-C stops).
web: all
	@npx tsx tools/web/serve.ts $(ARGS)

test: all build/host/qjsbc build/host/qjsbc-ops check
	npx mocha

# The typecheck, the formatting (prettier; `make fmt` fixes it), the import
# layering (tools/check_layers.ts) and the doc comments of the stack and the
# net core (tools/check_docs.ts).
check: build/toolchain.mk
	npx tsc --noEmit -p .
	npx prettier --check .
	npx tsx tools/check_layers.ts
	npx tsx tools/check_docs.ts

# `make bench`: napkin against Linux in the same v86 (tools/bench versus),
# the Linux guest first built from Debian's packages (tools/linux/build.sh);
# results in bench-results/<time>/, the README's plots and table in docs/bench/.
fmt: build/toolchain.mk
	npx prettier --write .

bench: all linux
	tools/bench versus --docs $(ARGS)

.PHONY: linux
linux:
	@tools/linux/build.sh

clean:
	rm -rf build images/*.elf
