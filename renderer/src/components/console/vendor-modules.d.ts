/// <reference types="novnc__novnc" />

// noVNC's npm package exports core/rfb.js; its DefinitelyTyped types name the same class
// under the older lib/ path.
declare module '@novnc/novnc' {
  import RFB from '@novnc/novnc/lib/rfb';
  export default RFB;
}

// spice-html5 ships no types: only what SpiceConsole.vue uses is declared.
declare module '@spice-project/spice-html5' {
  export interface SpiceMainConnOptions {
    uri: string;
    password: string;
    /** id of the element the display canvases are added to. */
    screen_id: string;
    message_id?: string;
    onerror?: (error: Error | Event) => void;
    onsuccess?: () => void;
    onagent?: (conn: SpiceMainConn) => void;
  }
  export class SpiceMainConn {
    constructor(options: SpiceMainConnOptions);
    state: string;
    stop(message?: string): void;
  }
  export function sendCtrlAltDel(conn: SpiceMainConn): void;
  export function resize_helper(conn: SpiceMainConn): void;
}
