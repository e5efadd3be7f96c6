// Follows GET /v1/revocations/stream. A browser EventSource cannot send an Authorization header, and the key must
// never go into a URL, so the stream is read with fetch and parsed here. It reconnects with Last-Event-ID, which the
// server resumes from without gaps or duplicates.

export class RevocationFeed {
  /**
   * @param api      the signed-in Api
   * @param tenant   whose revocations ('' for the credential's own)
   * @param onNotice called with each revocation notice (the API's JSON)
   * @param onState  called with ('connecting'|'live'|'reconnecting'|'stopped', message?)
   */
  constructor(api, tenant, onNotice, onState) {
    Object.assign(this, { api, tenant, onNotice, onState });
    this.abort = new AbortController();
    this.lastEventId = null;
  }

  start() {
    this.run();
    return this;
  }

  stop() {
    this.abort.abort();
  }

  async run() {
    let delay = 500;
    while (!this.abort.signal.aborted) {
      try {
        this.onState('connecting');
        const headers = { Accept: 'text/event-stream' };
        if (this.lastEventId != null) headers['Last-Event-ID'] = this.lastEventId;
        const response = await this.api.fetch('/revocations/stream', { tenant: this.tenant },
          { headers, signal: this.abort.signal });
        this.onState('live');
        delay = 500;
        await this.read(response.body);
        if (!this.abort.signal.aborted) this.onState('reconnecting', 'the stream ended');
      } catch (e) {
        if (this.abort.signal.aborted) break;
        if (e.status === 401 || e.status === 403) {
          this.onState('stopped', e.message);
          return;
        }
        this.onState('reconnecting', e.message);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10_000);
    }
    this.onState('stopped');
  }

  async read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = { type: 'message', data: [], id: null };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let newline;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const lineText = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (lineText === '') {
          this.dispatch(event);
          event = { type: 'message', data: [], id: null };
          continue;
        }
        if (lineText.startsWith(':')) continue; // keep-alive comment
        const colon = lineText.indexOf(':');
        const field = colon < 0 ? lineText : lineText.slice(0, colon);
        let value = colon < 0 ? '' : lineText.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event.type = value;
        else if (field === 'data') event.data.push(value);
        else if (field === 'id') event.id = value;
      }
    }
  }

  dispatch(event) {
    if (event.id != null) this.lastEventId = event.id;
    if (event.type !== 'revocation' || !event.data.length) return;
    try {
      this.onNotice(JSON.parse(event.data.join('\n')));
    } catch (e) {
      console.warn('ledger console: unreadable revocation notice', e);
    }
  }
}
