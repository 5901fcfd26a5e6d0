#!/usr/bin/env bash
# Build the Debian package of the kiosk, on Debian 12 (bookworm) or a machine like the kiosks:
#   bash packaging/debian/build.sh        → dist/border-kiosk_<version>_<arch>.deb
# It installs what the build needs (Python 3.11 and its venv module, a compiler and ICU's
# headers for PyICU), puts the application and its own Python environment under
# /opt/border-kiosk, and packs them with the kiosk command, the kiosk session and its systemd
# unit. Python packages come from PyPI; nothing is fetched when the package is installed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
here=packaging/debian

BUILD_PACKAGES=(python3.11 python3.11-venv python3.11-dev g++ pkg-config libicu-dev dpkg-dev git)
missing=()
for pkg in "${BUILD_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing build packages: ${missing[*]}"
  as_root=(); [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
fi

python=/usr/bin/python3.11
version=$("$python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
arch=$(dpkg --print-architecture)
prefix=/opt/border-kiosk
stage=build/deb/root
rm -rf build/deb
mkdir -p "$stage$prefix" dist

echo "Python environment in $prefix/venv"
"$python" -m venv "$stage$prefix/venv"
venv_python="$stage$prefix/venv/bin/python"
"$venv_python" -m pip install -q --upgrade pip
"$python" -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' \
  > build/deb/requirements.txt
"$venv_python" -m pip install -q --no-compile -r build/deb/requirements.txt
"$venv_python" -m pip freeze --exclude pip > "$stage$prefix/requirements.lock"

echo "Application in $prefix/app"
mkdir -p "$stage$prefix/app"
# What is committed, not what happens to lie in the working tree; never the demo keys (demo/).
sh "$here/app-archive.sh" HEAD | tar -x -C "$stage$prefix/app"
"$venv_python" -m babel.messages.frontend compile -d "$stage$prefix/app/i18n" -D messages >/dev/null
site=$("$venv_python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "$prefix/app" > "$site/border_kiosk_app.pth"

# The environment is built here and used from $prefix: keep only the interpreter links (other
# scripts name this build folder in their first line) and compile the bytecode with the
# installed paths, so the read-only /opt never needs writing and tracebacks name real files.
find "$stage$prefix/venv/bin" -mindepth 1 ! -name 'python*' -delete
# (A few files shipped inside third-party packages are templates, not Python: not an error.)
"$venv_python" -m compileall -qq -f -j 0 -s "$stage" -p / "$stage$prefix/app" "$site" || true
grep -q "$PWD" "$stage$prefix/venv/pyvenv.cfg" && sed -i "s#$PWD/$stage##g" "$stage$prefix/venv/pyvenv.cfg"

echo "Commands, session, service"
install -D -m 0755 "$here/kiosk" "$stage/usr/bin/kiosk"
install -D -m 0755 "$here/kiosk-session" "$stage/usr/lib/border-kiosk/kiosk-session"
install -D -m 0644 "$here/border-kiosk.service" "$stage/lib/systemd/system/border-kiosk.service"
install -D -m 0644 "$here/default" "$stage/etc/default/border-kiosk"
install -D -m 0644 README.md "$stage/usr/share/doc/border-kiosk/README.md"

# No private key leaves the build machine, whoever put it where.
if ! "$python" "$here/find_private_keys.py" "$stage" >&2; then
  echo "build.sh: the package would carry the private keys above; nothing was built." >&2
  exit 1
fi

mkdir -p "$stage/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
    -e "s/@PYTHON@/python3.11/" "$here/control.in" > "$stage/DEBIAN/control"
echo /etc/default/border-kiosk > "$stage/DEBIAN/conffiles"
install -m 0755 "$here/postinst" "$here/prerm" "$here/postrm" "$stage/DEBIAN/"

out="dist/border-kiosk_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zgzip -z6 --build "$stage" "$out" >/dev/null
echo "Built $out ($(du -h "$out" | cut -f1))"
