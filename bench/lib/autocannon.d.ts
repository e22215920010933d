// The part of autocannon 8's API the load generators use (the package ships no types; the
// DefinitelyTyped ones describe version 7): options, one request with its hooks, the result.
declare module 'autocannon' {
  namespace autocannon {
    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
    }
    interface RequestSpec<Context> {
      setupRequest?(req: Request, context: Context): Request;
      onResponse?(status: number, body: string, context: Context): void;
    }
    interface Options<Context> {
      url: string;
      connections: number;
      duration: number;
      pipelining: number;
      /** Seconds. */
      timeout: number;
      requests: RequestSpec<Context>[];
    }
    interface Histogram {
      average: number;
      p50: number;
      p90: number;
      p99: number;
      max: number;
      total: number;
    }
    interface Result {
      requests: Histogram;
      latency: Histogram;
      /** Seconds. */
      duration: number;
      non2xx: number;
      errors: number;
      timeouts: number;
    }
  }
  function autocannon<Context>(
    options: autocannon.Options<Context>,
    done: (error: Error | null, result: autocannon.Result) => void,
  ): unknown;
  export = autocannon;
}
