#!/usr/bin/env bash
# The documents agree with the program: every option `ipcat --help` lists (short and long) is
# documented in man/ipcat.1 (as an .Fl entry) and completed by completions/ipcat.bash,
# completions/_ipcat and completions/ipcat.fish; every option the man page documents is one
# --help lists. Likewise every address type ipcat accepts (the names and aliases of the endpoint
# table, src/endpoint_types.cpp) is in the man page and in the three completions, and no
# completion offers a type the table lacks; every address option of the table is in the man
# page, and every environment variable the sources read is in its ENVIRONMENT section.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$here/common.sh"

src=${IPCAT_SOURCE_DIR:-$here/../..}
man=$src/man/ipcat.1
bash_c=$src/completions/ipcat.bash
zsh_c=$src/completions/_ipcat
fish_c=$src/completions/ipcat.fish
for f in "$man" "$bash_c" "$zsh_c" "$fish_c"; do
  [[ -f $f ]] || fail "missing $f"
done

# --- The options of --help.
timeout 10 "$IPCAT" --help >help.txt || fail "ipcat --help: status $?"
grep -oE -- '--[a-z][a-z-]*|(^|[ ,])-[a-zA-Z46]\b' help.txt | sed -E 's/^[ ,]//' | sort -u >help.opts
(($(wc -l <help.opts) >= 30)) || fail "parsed only $(wc -l <help.opts) options from --help: $(tr '\n' ' ' <help.opts)"

# --- The options the man page names: the word after every Fl macro on the macro lines that
# match ERE $1; "-foo" is the long option --foo, "lU" the short options -l and -U.
man_flags() {
  grep -E "$1" "$man" |
    awk '{ sub(/^\./, ""); for (i = 1; i < NF; i++) if ($i == "Fl") print $(i + 1) }' |
    sed -E 's/[^A-Za-z0-9-].*$//' |
    while read -r w; do
      if [[ -z $w || $w =~ ^[A-Z][a-z]+$ ]]; then
        continue # a bare Fl, or Fl followed by another macro
      elif [[ $w == -* ]]; then
        printf '%s\n' "-$w"
      else
        for ((i = 0; i < ${#w}; i++)); do printf '%s\n' "-${w:i:1}"; done
      fi
    done | sort -u
}
man_flags '^\.' >man.opts             # anywhere in the page
man_flags '^\.It Fl ' >man.items.opts # items of a list: the option list documents each one
(($(wc -l <man.opts) >= 30)) || fail "parsed only $(wc -l <man.opts) options from the man page"

missing=()
while read -r opt; do
  grep -qxF -- "$opt" man.items.opts || missing+=("$opt")
done <help.opts
((${#missing[@]} == 0)) || fail "options of --help with no item (.It Fl) in man/ipcat.1: ${missing[*]}"

extra=()
while read -r opt; do
  grep -qxF -- "$opt" help.opts || extra+=("$opt")
done <man.opts
((${#extra[@]} == 0)) || fail "options in man/ipcat.1 that --help does not list: ${extra[*]}"

# The option list of the man page has an item for each option, with its long form beside its
# short one as --help pairs them ("-l, --listen" is ".It Fl l , Fl -listen").
while read -r line; do
  [[ $line =~ ^\ *(-[a-zA-Z46]),\ (--[a-z][a-z-]*) ]] || continue
  short=${BASH_REMATCH[1]}
  long=${BASH_REMATCH[2]}
  grep -qE "^\.It Fl ${short#-}( Ar [a-z]+)? , Fl -${long#--}( |$)" "$man" ||
    fail "man/ipcat.1 has no item '.It Fl ${short#-} ... , Fl -${long#--}' (--help: $line)"
done < <(sed -n '/^Options:/,$p' help.txt)

# --- The completions offer every option of --help. Each file is read in its own syntax.
has_opt_bash() { # a word of the flag lists
  # grep -q would stop reading early, and the first grep's SIGPIPE would fail the pipeline.
  grep -E '^_ipcat_(short|long)_flags=|^  --' "$bash_c" | grep -E -- "(^|[ (])$1([ )=]|$)" >/dev/null
}
has_opt_zsh() { # an _arguments spec: {-l,--listen}, '-q+[...', '--uuid=-[...', ')-4[...'
  grep -qE -- "[{,')*]$1[+=,}[]" "$zsh_c"
}
has_opt_fish() { # complete -c ipcat ... -s l / -l listen
  if [[ $1 == --* ]]; then
    grep -E '^complete -c ipcat' "$fish_c" | grep -E -- " -l ${1#--}( |$)" >/dev/null
  else
    grep -E '^complete -c ipcat' "$fish_c" | grep -E -- " -s ${1#-}( |$)" >/dev/null
  fi
}
for shell in bash zsh fish; do
  missing=()
  while read -r opt; do
    "has_opt_$shell" "$opt" || missing+=("$opt")
  done <help.opts
  ((${#missing[@]} == 0)) || fail "options of --help the $shell completion does not offer: ${missing[*]}"
done

# --uuid's values: v1, v3, v4, v5 and v7, nothing else.
for f in "$bash_c" "$fish_c"; do
  for v in v1 v3 v4 v5 v7; do
    grep -qF -- "--uuid=$v" "$f" || fail "$f: does not offer --uuid=$v"
  done
done
grep -qF -- "--uuid=-" "$zsh_c" || fail "$zsh_c: --uuid takes no optional =VERSION"
grep -qF -- '(v1 v3 v4 v5 v7)' "$zsh_c" || fail "$zsh_c: --uuid= does not offer (v1 v3 v4 v5 v7)"

# --- Address types: the names and aliases of the endpoint table (src/endpoint_types.cpp, a
# TypeName{"..."} each), in the man page (Cm) and in the three completions.
table=$src/src/endpoint_types.cpp
grep -oE 'TypeName\{"[a-z0-9-]+"' "$table" | sed -E 's/.*"(.*)"/\1/' | sort -u >types
(($(wc -l <types) >= 20)) ||
  fail "parsed only $(wc -l <types) address types from $table (TypeName{\"...\"}): has the table moved?"
missing=()
while read -r t; do
  grep -qE "^\.(It )?Cm $t( |$)|[ ]Cm $t( |$)" "$man" || missing+=("man:$t")
  grep -qE "(^|[ (])$t:?( |$|\))" "$bash_c" || missing+=("bash:$t")
  grep -qE "'$t(\\\\:)?:" "$zsh_c" || missing+=("zsh:$t")
  grep -qE "(^| )$t:?( |$)" "$fish_c" || missing+=("fish:$t")
done <types
((${#missing[@]} == 0)) || fail "address types not documented or not completed: ${missing[*]}"
for t in - uuid:v1 uuid:v3 uuid:v4 uuid:v5 uuid:v7; do
  grep -qE -- "(^|[ (])$t( |\))" "$bash_c" || fail "bash: address $t not completed"
  grep -qF -- "'${t//:/\\:}:" "$zsh_c" || fail "zsh: address $t not completed"
  grep -qE -- "(^| )$t( |$)" "$fish_c" || fail "fish: address $t not completed"
done

# No completion offers (or completes the argument of) a type the table lacks: the words each
# completion lists as address types, and the type names of its per-type cases.
{ cat types; printf '%s\n' - uuid:v1 uuid:v3 uuid:v4 uuid:v5 uuid:v7; } | sort -u >types.allowed
# bash: the two arrays, read by bash itself; the type names of the case patterns.
bash -c 'source "$1"; printf "%s\n" "${_ipcat_prefix_types[@]}" "${_ipcat_word_types[@]}"' _ "$bash_c" |
  sed 's/:$//' >offered.bash
grep -oE '^ +[a-z0-9*-]+( \| [a-z0-9*-]+)*( \| \\$|\))' "$bash_c" | tr -d ' )\\' | tr '|' '\n' |
  grep -vE '^(-.*|.*\*.*|)$' >>offered.bash || true
# zsh: the described types ('unix\::...', 'uuid\:v4:...', '-:...') and the compset patterns.
sed -n "/^_ipcat_address()/,/^}/p" "$zsh_c" >zsh.fn
grep -oE "^ +'[a-z0-9-]+(\\\\:v[0-9])?(\\\\:)?:" zsh.fn | sed -E "s/^ +'//; s/\\\\:/:/g; s/:+$//" >offered.zsh
grep -oE "^ +'-:" zsh.fn | sed -E "s/^ +'//; s/:$//" >>offered.zsh
grep -oE "compset -P '\(#i\)\(?[a-z0-9|-]+\)?:" zsh.fn | sed -E "s/.*\(#i\)//; s/[():]//g" |
  tr '|' '\n' >>offered.zsh
# fish: the printf list of __ipcat_addresses and its case lines.
sed -n "/^function __ipcat_addresses/,/^end/p" "$fish_c" >fish.fn
grep -E "^ +([a-z0-9:-]+|-) '[^']*'( \\\\)?$" fish.fn | sed -E "s/^ +//; s/ '.*$//; s/(.):$/\\1/" |
  grep -vx printf >offered.fish
grep -E '^ +case ' fish.fn | sed -E 's/^ +case //' | tr ' ' '\n' >>offered.fish
for shell in bash zsh fish; do
  (($(sort -u "offered.$shell" | wc -l) >= 20)) ||
    fail "read only $(sort -u "offered.$shell" | wc -l) address types from the $shell completion: has its list moved?"
  extra=$(sort -u "offered.$shell" | comm -23 - types.allowed | tr '\n' ' ')
  [[ -z $extra ]] || fail "the $shell completion offers address types the endpoint table lacks: $extra"
done

# --- Address options (the table's, src/endpoint_types.cpp) and the environment.
options=$(grep -oE '\{"[a-z]+", OptionValue::' "$table" | sed -E 's/\{"([a-z]+)".*/\1/')
(($(wc -w <<<"$options") >= 5)) || fail "parsed only $(wc -w <<<"$options") address options from $table"
for o in $options; do
  grep -qE "^\.It Cm $o(=| |$)" "$man" || fail "man/ipcat.1 does not document the address option $o"
done
# (sanitizer_defaults.cpp is built into sanitizer builds only and reads the runtime's variable.)
grep -ohE --exclude=sanitizer_defaults.cpp 'getenv\("[A-Z_]+"\)' "$src"/src/*.cpp | sed -E 's/.*"(.*)".*/\1/' | sort -u >env.vars
while read -r v; do
  sed -n '/^\.Sh ENVIRONMENT/,/^\.Sh /p' "$man" | grep -qE "^\.It Ev $v$" ||
    fail "src/ reads \$$v, which the man page's ENVIRONMENT section does not document"
done <env.vars

# --- The exit statuses.
for s in 0 1 2 130 143; do
  sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' "$man" | grep -qE "^\.It $s$" ||
    fail "the man page's EXIT STATUS does not list $s"
done
