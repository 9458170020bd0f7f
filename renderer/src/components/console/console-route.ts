/** The detached console page: `#/console/<connectionId>/<vm uuid>`. */
export interface ConsoleRoute {
  connectionId: string;
  uuid: string;
}

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const PATTERN = new RegExp(`^#/console/(${UUID})/(${UUID})$`);

export function parseConsoleRoute(hash: string): ConsoleRoute | null {
  const match = PATTERN.exec(hash);
  if (!match) return null;
  return {
    connectionId: (match[1] as string).toLowerCase(),
    uuid: (match[2] as string).toLowerCase(),
  };
}

export function consoleRouteHash(route: ConsoleRoute): string {
  return `#/console/${route.connectionId}/${route.uuid}`;
}
