# Sourced by jwg's scripts: selects a JDK >= 25 and exports JAVA_HOME and PATH.
# Order: $JAVA_HOME if it is >= 25, then Temurin 25 at its Debian path, then any JDK >= 25 under
# /usr/lib/jvm. Fails with a clear message when none is found (the default java here is 17).

jwg_java_feature() {  # prints the feature release of the JDK at $1, or nothing
  local v
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  printf '%s' "${v%%.*}"
}

jwg_select_jdk() {
  local c f
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$c" ] || continue
    f=$(jwg_java_feature "$c")
    if [ -n "$f" ] && [ "$f" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$c"
      export PATH="$c/bin:$PATH"
      return 0
    fi
  done
  echo "jwg: no JDK >= 25 found (looked at \$JAVA_HOME, /usr/lib/jvm/temurin-25-jdk-amd64, /usr/lib/jvm/*)." >&2
  echo "jwg: install Temurin 25 or set JAVA_HOME to a JDK 25+; the default 'java' here is $(java -version 2>&1 | head -n1)." >&2
  return 1
}

jwg_select_jdk || exit 1
