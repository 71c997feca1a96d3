import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkGfm from "remark-gfm";
import fs from "node:fs";
const seeds = fs.readdirSync("/work/shared/seeds").map(f => fs.readFileSync("/work/shared/seeds/"+f, "utf8"));
const p = unified().use(remarkParse).use(remarkGfm);
for (const sz of [6000, 12000, 24000, 48000]) {
let chunk = ""; while (chunk.length < sz) chunk += seeds[2] + "\n\n";
for (let i=0;i<3;i++) p.parse(chunk);
const n = Math.ceil(1_000_000/chunk.length);
let t=performance.now(); for (let i=0;i<n;i++) p.parse(chunk); console.log(sz, "1MB in chunks:", (performance.now()-t).toFixed(0));
}
