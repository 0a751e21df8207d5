import { api, ApiError } from './api';
import type { Crew, CrewAgent } from './types';

export const BUILTIN_CREWS = ['sdlc', 'codegen', 'update', 'review'];
export const LIFECYCLE = ['PLANNING', 'DESIGN', 'BUILD', 'TEST', 'REVIEW', 'DEPLOY', 'MONITOR', 'DONE'];

/** The crew templates, or null when this server has no GET /crews. */
export async function loadCrews(signal?: AbortSignal): Promise<Crew[] | null> {
  try {
    const r = await api<{ crews: Crew[] } | Crew[]>('/crews', { signal });
    return Array.isArray(r) ? r : r.crews;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null;
    throw e;
  }
}

export async function loadCrew(name: string, signal?: AbortSignal): Promise<Crew | null> {
  try {
    return await api<Crew>(`/crews/${encodeURIComponent(name)}`, { signal });
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export function stageNames(crew: Crew | null | undefined): string[] {
  if (!crew?.stages?.length) return LIFECYCLE;
  const names = crew.stages.map((s) => (typeof s === 'string' ? s : (s.stage ?? s.name ?? '?')));
  return names.includes('DONE') ? names : [...names, 'DONE'];
}

export function stageTasks(s: Crew['stages'][number]): string[] {
  if (typeof s === 'string' || !s.tasks) return [];
  return s.tasks.map((t) => `${t.name ?? '?'}${t.agent ? ` (${t.agent})` : ''}`);
}

export function crewAgents(crew: Crew): (CrewAgent & { key: string })[] {
  if (Array.isArray(crew.agents)) return crew.agents.map((a, i) => ({ ...a, key: a.name ?? a.role ?? String(i) }));
  return Object.entries(crew.agents ?? {}).map(([k, a]) => ({ ...a, name: a.name ?? k, key: k }));
}
