// Image references read the way the container runtime reads them (the distribution
// reference rules): the first path segment names a registry only if it looks like a host,
// otherwise the image lives on Docker Hub. Pull secrets are matched on that registry.

export const DOCKER_HUB = 'docker.io';

/** The key `kubectl create secret docker-registry` writes for Docker Hub by default. */
export const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';

// Names Docker Hub is known by in image references and in `auths` keys of pull secrets.
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

export interface ImageRef {
  /** Normalised registry host (with port when given); `docker.io` for Docker Hub. */
  registry: string;
  /** Repository path without the registry; Docker Hub official images get `library/`. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** `https://index.docker.io/v1/`, `Index.Docker.io`, `docker.io` → `docker.io`; other hosts lowercased, scheme and path dropped. */
export function normalizeRegistry(server: string): string {
  const host = server
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .split('/')[0]!
    .toLowerCase();
  return DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host;
}

export function parseImageRef(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry = DOCKER_HUB;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = normalizeRegistry(first);
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const repository = registry === DOCKER_HUB && !rest.includes('/') ? `library/${rest}` : rest;
  const ref: ImageRef = { registry, repository };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** The `--docker-server` value for a registry, as kubectl and the kubelet expect it. */
export function pullSecretServer(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_SERVER : registry;
}

/** Human name for messages: "Docker Hub" reads better than docker.io for a learner. */
export function registryLabel(registry: string): string {
  return registry === DOCKER_HUB ? 'Docker Hub' : registry;
}

/**
 * Whether a pull secret's `auths` key serves a registry. The kubelet accepts a leading
 * `*.` wildcard for one subdomain level, so `*.example.com` covers `registry.example.com`.
 */
export function registryMatches(secretServer: string, registry: string): boolean {
  const entry = normalizeRegistry(secretServer);
  if (entry === registry) return true;
  if (entry.startsWith('*.')) {
    const suffix = entry.slice(1);
    const head = registry.slice(0, registry.length - suffix.length);
    return registry.endsWith(suffix) && head.length > 0 && !head.includes('.');
  }
  return false;
}

/** `ghcr.io` → `ghcr-io`: a registry name that can be part of an object name. */
export function registrySlug(registry: string): string {
  return registry.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** The image as written, with its tag (and digest) replaced: `nginx:1.27-alpne` → `nginx:<tag>`. */
export function withTag(image: string, tag: string): string {
  let rest = image.trim();
  const at = rest.indexOf('@');
  if (at >= 0) rest = rest.slice(0, at);
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) rest = rest.slice(0, colon);
  return `${rest}:${tag}`;
}
