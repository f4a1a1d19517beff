# Benchmark tools (bench/README.md): `make bench` builds them into
# $(BUILD)/bench/.  They reuse the server's own objects: the load generator
# signs with src/common/sigv4.c, the empty-handler ceiling serves through
# src/http/listener.c and src/http/listen_sockets.c.
BENCH_DIR      := $(BUILD)/bench
BENCH_LOADGEN  := $(BENCH_DIR)/loadgen
BENCH_EMPTY    := $(BENCH_DIR)/empty_server

.PHONY: bench bench-run
bench: $(BENCH_LOADGEN) $(BENCH_EMPTY) $(BUILD)/sesame

$(BENCH_LOADGEN): $(BUILD)/obj/bench/loadgen.o $(BUILD)/obj/src/common/sigv4.o \
    $(BUILD)/obj/src/common/status.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BENCH_EMPTY): $(BUILD)/obj/bench/empty_server.o $(BUILD)/obj/src/http/listener.o \
    $(BUILD)/obj/src/http/listen_sockets.o \
    $(BUILD)/obj/src/common/log.o $(BUILD)/obj/src/common/status.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The quick suite; `bench/run.sh --full` is the one recorded in
# docs/performance.md.
bench-run:
	bench/run.sh --quick

-include $(BUILD)/obj/bench/loadgen.d $(BUILD)/obj/bench/empty_server.d
