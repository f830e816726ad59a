/** The bodies of the ```<lang> fenced blocks of a markdown document, in order. */
export function codeBlocks(markdown: string, lang: string): string[] {
  const blocks: string[] = [];
  const fence = '```' + lang + '\n';
  let at = markdown.indexOf(fence);
  while (at !== -1) {
    const end = markdown.indexOf('\n```', at + fence.length);
    blocks.push(markdown.slice(at + fence.length, end + 1));
    at = markdown.indexOf(fence, end + 4);
  }
  return blocks;
}
