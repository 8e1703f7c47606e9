# Sourced by the compare scripts: the programs they run, their work folder
# and a clock. DESCENT is the descent program (default build/cli/descent);
# PYTHON (default /usr/bin/python3) runs torch_compare.py.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-/usr/bin/python3}
descent=${DESCENT:-$root/build/cli/descent}

# Exits with status 2 unless the descent program is there; $1 names the script.
require_descent() {
  if [[ ! -x $descent ]]; then
    echo "$1: no descent program at '$descent'; build it or set DESCENT" >&2
    exit 2
  fi
}

# Sets `work`: the folder $1, created and kept, or if $1 is empty a temporary
# folder removed when the script exits.
make_work_folder() {
  if [[ -n $1 ]]; then
    work=$1
    mkdir -p "$work"
  else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
  fi
}

# Seconds since the time $1, as `date +%s.%N` gave it.
seconds_since() { awk -v now="$(date +%s.%N)" -v start="$1" 'BEGIN { print now - start }'; }
