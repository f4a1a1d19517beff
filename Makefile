# Sesame build: plain make with pkg-config.
#   make            -> build/sesame
#   make unit       -> build and run cmocka unit tests
#   make asan       -> build-asan/sesame with AddressSanitizer + UBSan
#   make test       -> everything the README's test command runs (see scripts/test.sh)

CC       ?= cc
PKGS     := libmicrohttpd jansson sqlite3 libcrypto
# Headers only: the rotators load these client libraries at run time
# (src/rotation/mysql_client.c, pg_client.c), so an idle server never maps them.
DLPKGS   := libmariadb libpq
BUILD    ?= build
SAN      ?=

WARN     := -Wall -Wextra -Wshadow -Wformat=2 -Wvla -Wno-unused-parameter -Werror
HARDEN   := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c17 -D_GNU_SOURCE $(WARN) -Isrc $(shell pkg-config --cflags $(PKGS) $(DLPKGS))
LDFLAGS  += -pie -Wl,-z,relro,-z,now
LDLIBS   += $(shell pkg-config --libs $(PKGS)) -lpthread -ldl

ifeq ($(SAN),1)
CFLAGS   += -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
LDFLAGS  += -fsanitize=address,undefined
else
CFLAGS   += $(HARDEN)
endif

LIB_SRC  := $(filter-out src/daemon/main.c,$(wildcard src/*/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
MAIN_OBJ := $(BUILD)/obj/src/daemon/main.o
DEPS     := $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all unit asan test clean
all: $(BUILD)/sesame

$(BUILD)/sesame: $(LIB_OBJ) $(MAIN_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell pkg-config --cflags cmocka) $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(LDLIBS) $(shell pkg-config --libs cmocka)

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; ./$$t; done

asan:
	$(MAKE) BUILD=build-asan SAN=1

test:
	scripts/test.sh

clean:
	rm -rf build build-asan

-include $(DEPS)

# Further targets (fuzzers, benchmark tools) live in mk/*.mk.
-include mk/*.mk
