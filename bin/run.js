#!/usr/bin/env node
// The tsvisor command as it was first named; bin/run.cjs is the command
// (package.json "bin"), which starts a few ms faster as CommonJS.
import './run.cjs';
