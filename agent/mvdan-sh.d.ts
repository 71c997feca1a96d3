// Minimal typing of the parts of mvdan-sh (the GopherJS build of mvdan/sh) the agent uses.
declare module "mvdan-sh" {
  // The syntax tree is loosely typed: nodes are inspected through syntax.NodeType().
  type ShNode = any;
  const sh: {
    syntax: {
      NewParser(...options: unknown[]): { Parse(src: string, name: string): ShNode };
      KeepComments(keep: boolean): unknown;
      Variant(lang: unknown): unknown;
      LangBash: unknown;
      NodeType(node: ShNode): string;
    };
  };
  export default sh;
}
