import type { Duplex } from 'node:stream';

/**
 * A transport is only a byte stream to a libvirt daemon; framing and RPC live above it.
 * `close()` ends the link and whatever carries it (socket, TLS session, SSH channel).
 */
export interface Transport {
  readonly stream: Duplex;
  /** Human-readable, e.g. "unix:/run/libvirt/libvirt-sock" or "ssh:root@host:22 (virt-ssh-helper)". */
  readonly description: string;
  close(): void;
}

/** Asks the user something during connection set-up (passwords, host keys). */
export interface SshPrompter {
  /** Unknown host key: return true to trust it (and record it in known_hosts). */
  confirmHostKey(info: {
    host: string;
    port: number;
    keyType: string;
    fingerprintSha256: string;
  }): Promise<boolean>;
  /** Password, passphrase or keyboard-interactive answer; null cancels. */
  askSecret(info: {
    kind: 'password' | 'passphrase' | 'keyboard-interactive';
    prompt: string;
    echo: boolean;
  }): Promise<string | null>;
}

export interface SshTransportOptions {
  host: string;
  port?: number;
  username?: string;
  /** Private key files to try, in order (default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa). */
  identityFiles?: string[];
  /** ssh-agent socket; default process.env.SSH_AUTH_SOCK. null disables the agent. */
  agent?: string | null;
  /** Path of known_hosts; default ~/.ssh/known_hosts. */
  knownHostsFile?: string;
  /** Jump hosts, outermost first (ProxyJump). */
  jumpHosts?: Array<{
    host: string;
    port?: number;
    username?: string;
    /** This hop's own keys (ssh_config IdentityFile); default: `identityFiles`. */
    identityFiles?: string[];
  }>;
  /** Remote daemon selection, from the libvirt URI. */
  remote: {
    /** Driver URI passed to virt-ssh-helper, e.g. 'qemu:///system'. */
    driverUri: string;
    /** ?socket= override. */
    socket?: string;
    /** ?mode= (auto|legacy|direct). */
    mode?: 'auto' | 'legacy' | 'direct';
    /** ?proxy= (auto|netcat|native). */
    proxy?: 'auto' | 'netcat' | 'native';
    /** ?netcat= — the remote nc binary for the netcat form of the tunnel. */
    netcat?: string;
    readOnly?: boolean;
    /**
     * How the SSH channel reaches the daemon. 'auto' (default): with proxy=auto, a
     * direct-streamlocal channel to the daemon socket (given by socket= or found by a probe),
     * falling back to the exec command if the server refuses; 'exec': always libvirt's
     * remote command; 'streamlocal': only the socket channel, no fallback.
     */
    channel?: 'auto' | 'exec' | 'streamlocal';
  };
  prompter?: SshPrompter;
  /** Milliseconds to wait for TCP+SSH handshake. */
  readyTimeoutMs?: number;
}
