const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The HTTP methods of each path of a service, read from its OpenAPI document. */
export class RouteMethods {
  private readonly routes: { pattern: RegExp; methods: string[] }[];

  constructor(paths: Record<string, Record<string, unknown>>) {
    this.routes = Object.entries(paths).map(([template, operations]) => {
      const methods = Object.keys(operations)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => m.toUpperCase());
      if (methods.includes('GET')) methods.push('HEAD');
      const source = template
        .split('/')
        .map((part) => (/^\{.+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/');
      return { pattern: new RegExp(`^${source}/?$`), methods };
    });
  }

  /** The methods the path (query string ignored) answers; empty for a path the service does not have. */
  of(url: string): string[] {
    const path = url.split('?')[0];
    const methods = new Set(this.routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods));
    return ORDER.filter((method) => methods.has(method));
  }
}
