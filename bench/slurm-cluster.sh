#!/usr/bin/env bash
# A one-node SLURM cluster on this machine, from nothing, for trying and testing `--slurm`
# (README, "Running on a SLURM cluster"). Debian/Ubuntu, as root, without systemd: installs munge
# and SLURM (slurmctld, slurmd, the client tools) if missing, writes /etc/slurm/slurm.conf, a munge
# key, and starts munged, slurmctld and slurmd with their state in one folder; `stop` ends them.
# Usage: bench/slurm-cluster.sh start|stop|status
#   SLURM_CLUSTER_DIR  state, spool and logs (default /tmp/nnunet-slurm)
set -euo pipefail
dir="${SLURM_CLUSTER_DIR:-/tmp/nnunet-slurm}"
conf=/etc/slurm/slurm.conf
marker="# written by nnunet bench/slurm-cluster.sh"
node="$(hostname -s)"

die() { echo "slurm-cluster: $*" >&2; exit 1; }

install_packages() {
  command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null \
    && command -v munged >/dev/null && return 0
  [ "$(id -u)" = 0 ] || die "slurm or munge missing; run as root to install them (apt-get)"
  command -v apt-get >/dev/null || die "slurm or munge missing and no apt-get: install slurmctld, slurmd, slurm-client and munge"
  echo "slurm-cluster: installing munge and slurm (apt-get)..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurmctld slurmd slurm-client munge >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurmctld slurmd slurm-client munge >/dev/null; }
}

write_config() {
  if [ -f "$conf" ] && ! grep -q "^$marker" "$conf"; then
    die "$conf exists and was not written by this script; move it away or use that cluster"
  fi
  mkdir -p /etc/slurm "$dir/state" "$dir/spool" "$dir/log"
  local cpus mem
  cpus="$(nproc)"
  mem="$(awk '/MemTotal/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)"
  # linuxproc and task/none: with the cgroup plugins (no systemd here) jobs end COMPLETED without
  # running. kill_invalid_depend: an afterok job on a failed job is cancelled instead of pending forever.
  cat > "$conf" <<EOF
$marker
ClusterName=nnunet
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DependencyParameters=kill_invalid_depend
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
AccountingStorageType=accounting_storage/none
ReturnToService=2
MinJobAge=600
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  fi
  chown munge:munge /etc/munge/munge.key 2>/dev/null || true
  chmod 0600 /etc/munge/munge.key
}

start() {
  install_packages
  write_config
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
  if ! pgrep -x munged >/dev/null; then
    if id munge >/dev/null 2>&1; then
      su -s /bin/sh munge -c /usr/sbin/munged
    else
      /usr/sbin/munged --force
    fi
  fi
  pidalive "$dir/slurmctld.pid" || slurmctld
  pidalive "$dir/slurmd.pid" || slurmd
  for _ in $(seq 60); do
    if sinfo -h -o '%T' 2>/dev/null | grep -q '^idle'; then
      echo "slurm-cluster: node $node idle (partition debug, $(nproc) CPUs); state in $dir"
      return 0
    fi
    sleep 0.5
  done
  die "the node did not become idle in 30 s; see $dir/log/slurmctld.log and slurmd.log"
}

pidalive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop() {
  for d in slurmd slurmctld; do
    if pidalive "$dir/$d.pid"; then
      kill "$(cat "$dir/$d.pid")"
    fi
  done
  for _ in $(seq 40); do
    pidalive "$dir/slurmd.pid" || pidalive "$dir/slurmctld.pid" || break
    sleep 0.25
  done
  # munged is left running: other users of munge on this machine may need it.
  echo "slurm-cluster: stopped (state kept in $dir; remove it for a clean start)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) sinfo; squeue ;;
  *) echo "Usage: $0 start|stop|status" >&2; exit 2 ;;
esac
