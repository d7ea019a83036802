/**
 * The resolver of moto server (scripts/moto-server.mjs), with stand-ins for python3 and pip on a
 * PATH of their own: MOTO_SERVER, then PATH, then the project's .venv/, then making .venv/, then
 * an error that says what is missing. (The other tests run the real moto server it finds.)
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MotoServerError, REQUIREMENTS, resolveMotoServer } from '../scripts/moto-server.mjs'

let root: string
let bin: string
let lines: string[]

function script(path: string, body: string): string {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, `#!/bin/sh\n${body}\n`)
  chmodSync(path, 0o755)
  return path
}

/**
 * A python3 whose `-m venv DIR` makes DIR/bin/python, whose `-m pip install -r FILE` puts a
 * moto_server in DIR/bin (or, with `pipFails`, says what pip says without a network).
 */
function fakePython(opts: { venvFails?: boolean; pipFails?: boolean } = {}): void {
  const pip = opts.pipFails
    ? 'echo "ERROR: Could not find a version that satisfies the requirement moto[server]==5.2.1" >&2; exit 1'
    : 'here=$(/usr/bin/dirname "$0"); printf "#!/bin/sh\\necho moto\\n" > "$here/moto_server"; ' +
      '/bin/chmod +x "$here/moto_server"; echo "$@" > "$here/../pip-args"'
  script(
    join(bin, 'python3'),
    opts.venvFails
      ? 'echo "ensurepip is not available" >&2; exit 1'
      : `[ "$1 $2" = "-m venv" ] || exit 2
/bin/mkdir -p "$3/bin"
/bin/cat > "$3/bin/python" <<'PY'
#!/bin/sh
[ "$1 $2 $3" = "-m pip --version" ] && exit 0
[ "$1 $2 $3" = "-m pip install" ] || exit 2
${pip}
PY
/bin/chmod +x "$3/bin/python"`
  )
}

const resolve = (env: NodeJS.ProcessEnv = {}) =>
  resolveMotoServer({ env: { PATH: bin, ...env }, root, log: l => lines.push(l) })

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'crg-moto-'))
  bin = join(root, 'fake-bin')
  mkdirSync(bin)
  writeFileSync(join(root, REQUIREMENTS), 'moto[server]==5.2.1\n')
  lines = []
})

describe('resolveMotoServer', () => {
  it('takes MOTO_SERVER first, and refuses one that is not there', () => {
    const mine = script(join(root, 'elsewhere', 'my-moto'), 'echo mine')
    script(join(bin, 'moto_server'), 'echo path')
    expect(resolve({ MOTO_SERVER: mine })).toBe(mine)
    expect(() => resolve({ MOTO_SERVER: join(root, 'nope') })).toThrow(
      /MOTO_SERVER is ".*nope", which is not an executable/
    )
    expect(lines).toEqual([])
  })

  it('then moto_server on PATH, silently', () => {
    const onPath = script(join(bin, 'moto_server'), 'echo path')
    fakePython()
    expect(resolve()).toBe(onPath)
    expect(lines).toEqual([])
    expect(existsSync(join(root, '.venv'))).toBe(false)
  })

  it("then the project's .venv/, silently", () => {
    const inVenv = script(join(root, '.venv', 'bin', 'moto_server'), 'echo venv')
    expect(resolve()).toBe(inVenv)
    expect(lines).toEqual([])
  })

  it(
    'else makes .venv/ with python3 and installs the pinned requirements into it, ' +
      'saying so; the next time it is silent',
    () => {
      fakePython()
      const made = resolve()
      expect(made).toBe(join(root, '.venv', 'bin', 'moto_server'))
      expect(lines.join('\n')).toMatch(
        new RegExp(
          /setting it up in .*\.venv \(first run only\)[\s\S]*-m venv/.source +
            /[\s\S]*installing requirements-moto\.txt[\s\S]*ready/.source
        )
      )
      expect(readFileSync(join(root, '.venv', 'pip-args'), 'utf8')).toContain(
        `-r ${join(root, REQUIREMENTS)}`
      )
      lines = []
      expect(resolve()).toBe(made)
      expect(lines).toEqual([])
    }
  )

  it('makes again a .venv/ an earlier attempt left without pip', () => {
    script(join(root, '.venv', 'bin', 'python'), 'echo "No module named pip" >&2; exit 1')
    fakePython()
    expect(resolve()).toBe(join(root, '.venv', 'bin', 'moto_server'))
    expect(lines.join('\n')).toContain('is incomplete: making it again')
  })

  it('says there is no python3 when there is none', () => {
    expect(() => resolve()).toThrow(MotoServerError)
    expect(() => resolve()).toThrow(
      /moto server is not installed, and there is no python3 to install it with/
    )
  })

  it('says python3 could not make the environment (and what package to add) when venv fails', () => {
    fakePython({ venvFails: true })
    expect(() => resolve()).toThrow(
      /could not make a virtual environment .*ensurepip is not available[\s\S]*python3-venv/
    )
  })

  it('says there may be no network when pip cannot install, with what pip said', () => {
    fakePython({ pipFails: true })
    expect(() => resolve()).toThrow(
      /could not install moto server from requirements-moto\.txt .*no network[\s\S]*Could not find a version/
    )
  })
})
