# Fuzzing: libFuzzer targets in fuzz/fuzz_*.c (see fuzz/README.md).
#   make fuzz                      -> build-fuzz/fuzz_<target> for every target
#   make fuzz-run                  -> regressions, then each target briefly
#   make fuzz-run FUZZ_SECONDS=3600 FUZZ_TARGETS="fuzz_arn fuzz_config"
#   make fuzz-regressions          -> replay fuzz/regressions/ only
# The sources the targets exercise are compiled again by clang for fuzzing
# (coverage instrumentation plus ASan and UBSan) into build-fuzz/; gcc's
# objects in build/ are never reused.  Only the parsers and what they call
# are linked, so a target builds and runs fast and does not depend on the
# rest of the server.  A new target adds its sources to FUZZ_LIB_SRC.

FUZZ_CC      ?= clang
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 8
FUZZ_TARGETS ?=
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
		-fno-omit-frame-pointer
FUZZ_CFLAGS  := -O1 -g -std=c17 -D_GNU_SOURCE $(WARN) -Isrc -Ifuzz \
		$(shell pkg-config --cflags $(PKGS)) $(FUZZ_SAN) -DSESAME_FUZZING
# clang flags a vsnprintf of a callback's va_list (src/http/listener.c mhd_log) that
# gcc accepts; the library is gcc's to warn about, the targets keep the flag.
FUZZ_LIB_CFLAGS := -Wno-format-nonliteral
FUZZ_LIB_SRC := src/common/status.c src/common/log.c src/common/sigv4.c \
		src/auth/sigv4_verify.c src/crypto/secret_buf.c \
		src/crypto/encoding.c src/core/arn.c src/protocol/json_protocol.c \
		src/http/listener.c src/http/listen_sockets.c src/api/validate.c \
		src/api/errors.c \
		src/api/secretsmanager_fields.c src/daemon/config.c \
		src/auth/policy_parse.c src/auth/policy_eval.c \
		src/auth/conditions.c src/auth/policy_context.c \
		src/rotation/schedule.c src/protocol/query_protocol.c \
		src/common/json_write.c src/common/utc_time.c
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:%.c=$(FUZZ_BUILD)/obj/%.o)
# Every field table of the generated header, so that fuzz_json_request
# validates against each operation's table without a list of its own.
FUZZ_TABLES  := $(FUZZ_BUILD)/gen/fuzz_field_tables.h
FUZZ_LIB     := $(FUZZ_BUILD)/libsesame-fuzz.a
FUZZ_SRC     := $(wildcard fuzz/fuzz_*.c)
FUZZ_BIN     := $(FUZZ_SRC:fuzz/%.c=$(FUZZ_BUILD)/%)

.PHONY: fuzz fuzz-run fuzz-regressions fuzz-clean
fuzz: $(FUZZ_BIN)

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_LIB_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP \
		-c -o $@ $<

$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_TABLES): src/api/secretsmanager_fields.h
	@mkdir -p $(dir $@)
	sed -n 's/^extern const struct field_spec secretsmanager_fields_\([A-Za-z0-9]*\)\[\];$$/FUZZ_FIELD_TABLE(\1)/p' \
		$< > $@.tmp && mv $@.tmp $@

$(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_common.h $(FUZZ_LIB) $(FUZZ_TABLES)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -I$(FUZZ_BUILD)/gen -fsanitize=fuzzer -MMD -MP \
		-MF $@.d -o $@ $< $(FUZZ_LIB) $(LDLIBS)

fuzz-run: fuzz
	fuzz/run.sh --seconds $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-regressions: fuzz
	fuzz/run.sh --regressions-only $(FUZZ_TARGETS)

fuzz-clean:
	rm -rf $(FUZZ_BUILD)

-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_BIN:=.d)
