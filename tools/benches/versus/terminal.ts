// What a terminal answers: busybox's line editor asks for the cursor
// position (ESC [ 6 n) after each prompt and, unanswered, waits about 20 ms
// before reading the command line, a delay that would be counted as the
// guest's. The answer is the column after the last line of output.

const ASK_POSITION = "\x1b[6n";
const CSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** The cursor position report for a query at the end of `output`, or null if it ends with none. */
export function answer_position_query(output: string): string | null {
  if (!output.endsWith(ASK_POSITION)) return null;
  const before = output.slice(0, -ASK_POSITION.length);
  const line = before
    .slice(before.lastIndexOf("\n") + 1)
    .replace(CSI, "")
    .replace(/\r/g, "");
  return `\x1b[1;${line.length + 1}R`;
}

export function strip_escapes(text: string): string {
  return text.replace(CSI, "");
}
