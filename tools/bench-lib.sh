# Shared by the side-by-side benchmark scripts (sourced, not run).

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# rss PID FIELD: a /proc/PID/status memory field (VmRSS, VmHWM) in MB.
rss() { awk -v k="$2:" '$1==k {print int($2/1024)}' "/proc/$1/status"; }

# wait_ready URL [TRIES]: polls URL/-/ready every 0.1 s.
wait_ready() { for _ in $(seq "${2:-300}"); do curl -sf "$1/-/ready" > /dev/null && return; sleep 0.1; done; }

# start_servers WORK TSDB4J_COMMAND...: copies WORK/data to WORK/prom and WORK/serve, then starts Prometheus 2.42
# on the first and `TSDB4J_COMMAND serve` on the second, each on a free loopback port. Sets pport, sport, ppid and
# spid; on exit both are stopped (by PID) and WORK is removed.
start_servers() {
  local work=$1; shift
  for copy in prom serve; do cp -r "$work/data" "$work/$copy"; rm -f "$work/$copy/lock"; done
  echo 'global: {scrape_interval: 15s}' > "$work/prometheus.yml"
  pport=$(free_port); sport=$(free_port)
  prometheus --storage.tsdb.path="$work/prom" --storage.tsdb.retention.time=100y \
    --web.listen-address="127.0.0.1:$pport" --config.file="$work/prometheus.yml" > "$work/prometheus.log" 2>&1 &
  ppid=$!
  "$@" serve --data-dir "$work/serve" --listen "127.0.0.1:$sport" > "$work/serve.log" 2>&1 &
  spid=$!
  # `wait` returns the killed servers' status (143); under `set -e` that would end the trap before the clean-up.
  trap "kill $ppid $spid 2>/dev/null; wait $ppid $spid 2>/dev/null || true; rm -rf '$work'" EXIT
}
