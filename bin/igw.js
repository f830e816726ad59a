#!/usr/bin/env node
// Entry point of the `igw` command. The sources are TypeScript run by Node's type stripping (Node >= 22.18).
import '../src/cli.ts';
