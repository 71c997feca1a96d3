import { parse, postprocess, preprocess } from "micromark";
import fs from "node:fs";
const seeds = fs.readdirSync("/work/shared/seeds").map(f => fs.readFileSync("/work/shared/seeds/"+f, "utf8"));
let big = ""; while (big.length < 200_000) big += seeds[2] + "\n\n";
for (let i=0;i<2;i++){
let t=performance.now(); const ev = postprocess(parse().document().write(preprocess()(big, undefined, true))); console.log("micromark events", ev.length, (performance.now()-t).toFixed(0));
}
