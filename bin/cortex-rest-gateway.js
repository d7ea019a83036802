#!/usr/bin/env node
// The command line: the action's bundle, which sees it was started under this name.
import '../dist/index.js'
