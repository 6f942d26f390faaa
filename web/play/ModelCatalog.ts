/** The page's view of the server: the policy files it offers (GET /api/models) and what it is part of. */
import { ApiPaths, type ModelEntry, type ModelList, type ServerInfo } from '../api/PageApi.js';

/** Fetches the server's model list; an empty list (with the reason) when the server has none to give. */
export async function fetchModelList(fetchImpl: typeof fetch = fetch): Promise<ModelList & { error?: string }> {
  try {
    const res = await fetchImpl(ApiPaths.models, { cache: 'no-store' });
    if (!res.ok) return { models: [], resultsDir: '', error: `GET ${ApiPaths.models}: HTTP ${res.status}` };
    return (await res.json()) as ModelList;
  } catch (e) {
    return { models: [], resultsDir: '', error: `GET ${ApiPaths.models}: ${(e as Error).message}` };
  }
}

/** The models offered for a behavior, best first: the --model file when it fits, then newest first. */
export function modelsForBehavior(list: ModelList, behavior: string): ModelEntry[] {
  return list.models.filter((m) => m.behaviors.includes(behavior) || (m.source === 'cli' && m.behaviors.length === 0));
}

/** A menu label: the file, the step of a checkpoint, and how old it is. */
export function describeModel(m: ModelEntry, nowMs = Date.now()): string {
  const parts = [m.label];
  if (m.step !== null) parts.push(`step ${m.step}`);
  if (m.modifiedMs > 0) parts.push(age(nowMs - m.modifiedMs));
  return parts.join(' · ');
}

function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

/** GET /api/server; neither trainer nor plots when the pages are served by something else. */
export async function fetchServerInfo(fetchImpl: typeof fetch = fetch): Promise<ServerInfo> {
  try {
    const res = await fetchImpl(ApiPaths.server, { cache: 'no-store' });
    if (res.ok) return (await res.json()) as ServerInfo;
  } catch {
    // Opened from another server: no trainer to offer.
  }
  return { trainer: null, livePlots: false };
}
