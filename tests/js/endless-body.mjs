// An HTTP answer whose body has no length and never ends (for the JWK Set
// fetch tests): a reader that stops at its byte limit gets an answer, one
// that buffers the whole body waits for its timeout.
export function serveEndless(res) {
  res.writeHead(200, { "content-type": "application/json" });
  const chunk = `{"keys":[${" ".repeat(16 * 1024)}`;
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once("drain", pump);
  };
  pump();
}
