#!/usr/bin/env bash
# Runs LoopLens on CUDA on a lent GPU machine that has no network and maybe no Node, from the
# pieces that `npm run cuda:pack` wrote to .cuda-pieces/ and the device tool carries there a few
# per call (the calls are printed by cuda:pack and kept in .cuda-pieces/manifest.json).
# Run from the repository root on that machine:
#   bash scripts/cuda/device-run.sh --stage   every call but the last: check this call's pieces
#                                             against the manifest and keep them in .cuda-stage/
#   bash scripts/cuda/device-run.sh           the last call: stage, reassemble and check the archive,
#                                             unpack Node, node_modules (with the CUDA 13 provider next
#                                             to onnxruntime-node's own library) and dist/, find the
#                                             CUDA 13 libraries, check the GPU, then run
#                                             bench:train --ep cuda and a short training run
# Options: --bench-steps N (default 5) --train-steps N (default 300) --compare-cpu (the same
#          training run on the CPU too) --install-only (stop after the GPU and library checks)
# Logs go to $OUT when it is set, else .cuda-stage/logs/.
# Exit status: 0 done (or staged) · 2 usage · 3 no NVIDIA GPU · 4 CUDA 13 libraries not found ·
#              5 the benchmark or the training run failed · 10 pieces or manifest missing ·
#              11 a checksum is wrong · 12 unpacking failed (a tool missing)
# Environment (for tests): LOOPLENS_CUDA_PIECES, LOOPLENS_CUDA_STAGE (folders), LOOPLENS_NVIDIA_SMI
# (the nvidia-smi to ask), LOOPLENS_CUDA_LIB_DIRS (more folders to search, ':'-separated).
set -uo pipefail

ROOT=$(pwd)
PIECES=${LOOPLENS_CUDA_PIECES:-$ROOT/.cuda-pieces}
STAGE=${LOOPLENS_CUDA_STAGE:-$ROOT/.cuda-stage}
NVIDIA_SMI=${LOOPLENS_NVIDIA_SMI:-nvidia-smi}
ORT_NATIVE=node_modules/onnxruntime-node/bin/napi-v6/linux/x64
NODE_BIN=$ROOT/.cuda-stage/node/bin/node
CUDA_LIBS="libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libcurand.so.10"
# What the device cannot run without (the same list as REQUIRED_FILES in pack.mjs).
REQUIRED=(.cuda-stage/node/bin/node "$ORT_NATIVE/libonnxruntime.so.1" "$ORT_NATIVE/onnxruntime_binding.node"
  "$ORT_NATIVE/libonnxruntime_providers_cuda.so" "$ORT_NATIVE/libonnxruntime_providers_shared.so"
  node_modules/onnxruntime-node/dist/index.js node_modules/tsx/package.json node_modules/protobufjs/package.json dist/cli.js)

STAGE_ONLY=0 INSTALL_ONLY=0 COMPARE_CPU=0 BENCH_STEPS=5 TRAIN_STEPS=300
usage() { echo "usage: bash scripts/cuda/device-run.sh [--stage] [--bench-steps N] [--train-steps N] [--compare-cpu] [--install-only]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --stage) STAGE_ONLY=1 ;;
    --install-only) INSTALL_ONLY=1 ;;
    --compare-cpu) COMPARE_CPU=1 ;;
    --bench-steps) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || usage; BENCH_STEPS=$2; shift ;;
    --train-steps) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || usage; TRAIN_STEPS=$2; shift ;;
    -h|--help) usage ;;
    *) echo "device-run: unknown argument \"$1\"" >&2; usage ;;
  esac
  shift
done

LOG_DIR=${OUT:-$STAGE/logs}
mkdir -p "$LOG_DIR" "$STAGE/pieces" || { echo "device-run: cannot create $LOG_DIR or $STAGE" >&2; exit 12; }
if [ -n "${OUT:-}" ]; then
  exec > >(tee -a "$OUT/device-run.log") 2>&1
  TEE_PID=$!
  trap 'exec >&- 2>&-; wait "$TEE_PID"' EXIT # let tee write the last lines before the script ends
fi

die() { local code=$1; shift; echo "device-run: $*" >&2; exit "$code"; }
sha256() { sha256sum "$1" | cut -d' ' -f1; }
bytes() { stat -c %s "$1"; }

# ---- the manifest ----------------------------------------------------------------------------------
MANIFEST=$STAGE/manifest.txt
bundle_of() { awk '$1 == "bundle" { print $2; exit }' "$1"; }
if [ -f "$PIECES/manifest.txt" ]; then
  carried=$(bundle_of "$PIECES/manifest.txt")
  [ -n "$carried" ] || die 10 "$PIECES/manifest.txt is not a cuda:pack manifest (no bundle line)"
  if [ -f "$MANIFEST" ] && [ "$(bundle_of "$MANIFEST")" != "$carried" ]; then
    echo "the pieces staged here belong to bundle $(bundle_of "$MANIFEST"); this call carries bundle $carried: dropping the old ones"
    rm -f "$STAGE"/pieces/*
  fi
  cp -f "$PIECES/manifest.txt" "$MANIFEST"
elif [ ! -f "$MANIFEST" ]; then
  die 10 "no manifest: carry .cuda-pieces/manifest.txt (written by \`npm run cuda:pack\`) in every call"
fi
BUNDLE=$(bundle_of "$MANIFEST")
read -r _ ARCHIVE_NAME ARCHIVE_BYTES ARCHIVE_SHA COMPRESSION < <(awk '$1 == "archive"' "$MANIFEST")
[ -n "${COMPRESSION:-}" ] || die 10 "$MANIFEST has no archive line"
PIECE_NAMES=() PIECE_BYTES=() PIECE_SHAS=()
while read -r _ _ name size sha; do PIECE_NAMES+=("$name"); PIECE_BYTES+=("$size"); PIECE_SHAS+=("$sha"); done < <(awk '$1 == "piece"' "$MANIFEST")
[ ${#PIECE_NAMES[@]} -gt 0 ] || die 10 "$MANIFEST lists no pieces"
FILE_LIST=$STAGE/files.sha256 # sha256sum's own format, for `sha256sum -c`
awk '$1 == "file" { sha = $2; sub(/^file [0-9a-f]+ [0-9]+ [0-7]+ /, ""); print sha "  " $0 }' "$MANIFEST" > "$FILE_LIST"

# ---- stage this call's pieces ----------------------------------------------------------------------
# A piece is wrong when its size or SHA-256 differs from the manifest's; say which and what.
check_piece() { # FILE INDEX
  local f=$1 i=$2 got_bytes got_sha
  got_bytes=$(bytes "$f")
  if [ "$got_bytes" != "${PIECE_BYTES[$i]}" ]; then
    die 11 "piece ${PIECE_NAMES[$i]} is wrong: $got_bytes bytes where the manifest of bundle $BUNDLE says ${PIECE_BYTES[$i]} (a cut-off copy?); carry it again, or run \`npm run cuda:pack\` again and start over"
  fi
  got_sha=$(sha256 "$f")
  if [ "$got_sha" != "${PIECE_SHAS[$i]}" ]; then
    die 11 "piece ${PIECE_NAMES[$i]} is corrupt: sha256 $got_sha where the manifest of bundle $BUNDLE says ${PIECE_SHAS[$i]}; carry it again, or run \`npm run cuda:pack\` again and start over"
  fi
}
missing=() staged_now=()
for i in "${!PIECE_NAMES[@]}"; do
  name=${PIECE_NAMES[$i]}
  if [ -f "$PIECES/$name" ]; then
    check_piece "$PIECES/$name" "$i"
    mv -f "$PIECES/$name" "$STAGE/pieces/$name" || die 12 "cannot move $name into $STAGE/pieces"
    staged_now+=("$name")
  elif [ ! -f "$STAGE/pieces/$name" ]; then
    missing+=("$name")
  fi
done
if [ -d "$PIECES" ]; then
  for f in "$PIECES"/bundle.tar.*; do
    [ -e "$f" ] && echo "note: $(basename "$f") is not a piece of bundle $BUNDLE; ignored"
  done
fi
n=${#PIECE_NAMES[@]}
echo "bundle $BUNDLE: staged this call: ${staged_now[*]:-none}; $((n - ${#missing[@]})) of $n pieces in $STAGE/pieces"

installed() { [ "$(cat "$STAGE/installed" 2>/dev/null)" = "$BUNDLE" ] && (cd "$ROOT" && sha256sum -c --quiet --status "$FILE_LIST"); }

if [ "$STAGE_ONLY" = 1 ]; then
  if [ ${#missing[@]} -gt 0 ]; then echo "still to carry: ${missing[*]}"; else echo "all $n pieces staged: the next call, without --stage, installs and runs"; fi
  exit 0
fi

# ---- reassemble, check, unpack -----------------------------------------------------------------------
if installed; then
  echo "bundle $BUNDLE is already installed here and its files check out"
else
  if [ ${#missing[@]} -gt 0 ]; then
    die 10 "missing piece(s) of bundle $BUNDLE: ${missing[*]} (neither carried in this call nor staged by an earlier one). Carry them with --stage first; if the machine went cold between calls, the staged pieces went with it: start again from the first call"
  fi
  for i in "${!PIECE_NAMES[@]}"; do check_piece "$STAGE/pieces/${PIECE_NAMES[$i]}" "$i"; done
  ARCHIVE=$STAGE/$ARCHIVE_NAME
  for name in "${PIECE_NAMES[@]}"; do cat "$STAGE/pieces/$name"; done > "$ARCHIVE" || die 12 "cannot write $ARCHIVE (disk full?)"
  got=$(sha256 "$ARCHIVE")
  [ "$got" = "$ARCHIVE_SHA" ] || die 11 "the reassembled $ARCHIVE_NAME has sha256 $got where the manifest says $ARCHIVE_SHA (the pieces match, the manifest does not: pack again)"
  echo "reassembled $ARCHIVE_NAME ($ARCHIVE_BYTES bytes): sha256 matches"

  case $COMPRESSION in
    xz) if command -v xz >/dev/null; then decompress=(xz -dc); elif command -v python3 >/dev/null; then decompress=(python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)'); else die 12 "neither xz nor python3 is here to unpack $ARCHIVE_NAME (pack with --gzip instead)"; fi ;;
    gzip) if command -v gzip >/dev/null; then decompress=(gzip -dc); elif command -v python3 >/dev/null; then decompress=(python3 -c 'import gzip, shutil, sys; shutil.copyfileobj(gzip.open(sys.argv[1]), sys.stdout.buffer)'); else die 12 "neither gzip nor python3 is here to unpack $ARCHIVE_NAME"; fi ;;
    *) die 10 "unknown compression \"$COMPRESSION\" in $MANIFEST" ;;
  esac
  command -v tar >/dev/null || die 12 "tar is not installed here"
  UNPACKED=$STAGE/unpacked
  rm -rf "$UNPACKED" && mkdir -p "$UNPACKED"
  "${decompress[@]}" "$ARCHIVE" | tar -xf - -C "$UNPACKED" || die 12 "unpacking $ARCHIVE_NAME failed"
  rm -f "$ARCHIVE"
  if ! bad=$(cd "$UNPACKED" && sha256sum -c --quiet "$FILE_LIST" 2>&1); then
    die 11 "unpacked files differ from the manifest of bundle $BUNDLE: $(echo "$bad" | head -5 | tr '\n' ';')"
  fi
  # Into place, by the manifest's paths (relative to the repository root), with its modes.
  while read -r _ _ _ mode path; do
    mkdir -p "$ROOT/$(dirname "$path")" && mv -f "$UNPACKED/$path" "$ROOT/$path" && chmod "$mode" "$ROOT/$path" || die 12 "cannot put $path into place"
  done < <(awk '$1 == "file"' "$MANIFEST")
  rm -rf "$UNPACKED"
  echo "$BUNDLE" > "$STAGE/installed"
  echo "installed bundle $BUNDLE: $(grep -c '^file ' "$MANIFEST") files checked against the manifest (Node, node_modules with the CUDA provider in $ORT_NATIVE, dist/)"
fi

absent=()
for f in "${REQUIRED[@]}"; do [ -f "$ROOT/$f" ] || absent+=("$f"); done
[ ${#absent[@]} -eq 0 ] || die 10 "bundle $BUNDLE lacks ${absent[*]}: pack it again with \`npm run cuda:pack\`"

# ---- the GPU ---------------------------------------------------------------------------------------
if ! command -v "$NVIDIA_SMI" >/dev/null 2>&1; then
  die 3 "no NVIDIA GPU here: nvidia-smi is not installed. The bundle is installed and checked; run this on the lent GPU machine for CUDA figures"
fi
if ! gpu=$("$NVIDIA_SMI" --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1) || [ -z "$gpu" ]; then
  die 3 "no NVIDIA GPU here: nvidia-smi found none ($(echo "$gpu" | head -2 | tr '\n' ' ')). The bundle is installed and checked; run this on the lent GPU machine for CUDA figures"
fi
echo "GPU: $gpu"
"$NVIDIA_SMI" > "$LOG_DIR/nvidia-smi.txt" 2>&1

# ---- Node ------------------------------------------------------------------------------------------
[ -x "$NODE_BIN" ] || die 12 "$NODE_BIN is missing"
node_version=$("$NODE_BIN" --version 2>&1) || die 12 "the carried Node does not run here: $node_version"
export PATH="$(dirname "$NODE_BIN"):$PATH"
echo "Node $node_version (carried)"

# ---- the CUDA 13 libraries (PyTorch's pip packages hold them under site-packages/nvidia/) -----------
search=()
IFS=: read -r -a extra <<< "${LOOPLENS_CUDA_LIB_DIRS:-}"
search+=("${extra[@]}")
for py in python3 /opt/torch/.venv/bin/python3 /usr/bin/python3; do
  command -v "$py" >/dev/null 2>&1 || continue
  while read -r sp; do
    [ -d "$sp/nvidia" ] || continue
    while read -r d; do search+=("$d"); done < <(find "$sp/nvidia" -name 'lib*.so*' -printf '%h\n' 2>/dev/null | sort -u)
  done < <("$py" -c 'import site, sys; print("\n".join(dict.fromkeys(site.getsitepackages() + [site.getusersitepackages()] + sys.path)))' 2>/dev/null)
done
search+=(/usr/local/cuda/lib64 /usr/local/cuda-13*/lib64 /usr/local/cuda-13*/targets/x86_64-linux/lib /usr/local/nvidia/lib64 /usr/local/nvidia/lib)
lib_path=()
for d in "${search[@]}"; do
  [ -n "$d" ] && [ -d "$d" ] || continue
  case " ${lib_path[*]} " in *" $d "*) ;; *) lib_path+=("$d") ;; esac
done
known=$(ldconfig -p 2>/dev/null || true)
absent=()
for lib in $CUDA_LIBS; do
  found=
  for d in "${lib_path[@]}"; do [ -e "$d/$lib" ] && found=$d && break; done
  [ -n "$found" ] || grep -qE "(^|[[:space:]])$lib " <<< "$known" || absent+=("$lib")
  [ -n "$found" ] && echo "$lib: $found"
done
if [ ${#absent[@]} -gt 0 ]; then
  die 4 "the CUDA 13 provider needs ${absent[*]}, found neither in the Python packages' nvidia/ folders, nor in ${lib_path[*]:-any CUDA folder}, nor by ldconfig; set LOOPLENS_CUDA_LIB_DIRS to their folder"
fi
LD_LIBRARY_PATH=$(IFS=:; echo "${lib_path[*]}")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH
if command -v ldd >/dev/null; then
  unresolved=$(ldd "$ROOT/$ORT_NATIVE/libonnxruntime_providers_cuda.so" 2>&1 | grep 'not found')
  [ -z "$unresolved" ] || die 4 "the CUDA provider's libraries do not all resolve with LD_LIBRARY_PATH=$LD_LIBRARY_PATH: $(echo "$unresolved" | tr -s ' \t\n' ' ')"
fi
echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
if [ "$INSTALL_ONLY" = 1 ]; then echo "installed and checked (--install-only): nothing run"; exit 0; fi

# ---- the figures -------------------------------------------------------------------------------------
failed=()
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

echo; echo "== bench:train --ep cuda --steps $BENCH_STEPS"
t0=$(now)
node --import tsx scripts/bench-train.ts --ep cuda --steps "$BENCH_STEPS" --threads 1 2>&1 | tee "$LOG_DIR/bench-train-cuda.log"
bench_rc=${PIPESTATUS[0]}
bench_s=$(secs "$t0" "$(now)")
if [ "$bench_rc" != 0 ] || ! grep -q 'LoopLens (cuda)' "$LOG_DIR/bench-train-cuda.log"; then failed+=("bench:train (exit $bench_rc; no step ran on CUDA)"); fi

train() { # EP LOG
  rm -rf "$STAGE/runs/$1" && mkdir -p "$STAGE/runs/$1"
  echo; echo "== looplens train --task parity --ep $1 --steps $TRAIN_STEPS"
  local t=$(now)
  node bin/looplens.js train --task parity --ep "$1" --steps "$TRAIN_STEPS" --out "$STAGE/runs/$1/parity.onnx" 2>&1 | tee "$2"
  local rc=${PIPESTATUS[0]}
  echo "wall time: $(secs "$t" "$(now)") s" | tee -a "$2"
  return "$rc"
}
if ! train cuda "$LOG_DIR/train-cuda.log"; then failed+=("the CUDA training run (exit $?)")
elif ! grep -q '^trained .*(cuda)' "$LOG_DIR/train-cuda.log"; then failed+=("the CUDA training run (it did not train on cuda)"); fi
if [ "$COMPARE_CPU" = 1 ]; then train cpu "$LOG_DIR/train-cpu.log" || failed+=("the CPU training run (exit $?)"); fi

{
  echo "== CUDA figures: bundle $BUNDLE, GPU $gpu, Node $node_version, $(date -u +%FT%TZ)"
  echo "bench:train --ep cuda --steps $BENCH_STEPS --threads 1 ($bench_s s):"
  grep -E '^\(|LoopLens|PyTorch|engine-for-engine|total:' "$LOG_DIR/bench-train-cuda.log" | sed 's/^/  /'
  for ep in cuda cpu; do
    [ -f "$LOG_DIR/train-$ep.log" ] || continue
    echo "looplens train --task parity --ep $ep --steps $TRAIN_STEPS:"
    grep -E '^trained |wall time|oracle|accuracy|%' "$LOG_DIR/train-$ep.log" | tail -8 | sed 's/^/  /'
  done
} | tee "$LOG_DIR/summary.txt"
if [ ${#failed[@]} -gt 0 ]; then die 5 "failed: $(IFS=';'; echo "${failed[*]}") (logs in $LOG_DIR)"; fi
echo "done: logs in $LOG_DIR"
