// Before any test file starts: find moto server, or set it up in .venv/ (which takes minutes the
// first time, longer than a test hook may), once for all workers; they inherit MOTO_SERVER.
import { resolveMotoServer } from '../../scripts/moto-server.mjs'

export default function globalSetup() {
  process.env.MOTO_SERVER = resolveMotoServer()
}
