// Which models a key may call (LiteLLM's rules): the key's `models` list, else its team's; a team's list
// also bounds every key of the team; a personal key (no team) is bounded by its user's list; an
// organization's list bounds every key in it (its own, or its team's). An empty list
// means every model. `*` and `all-proxy-models` mean every model, `openai/*` every name with that prefix, and
// `all-team-models` on a key means "whatever the team may call".
import { modelNotAllowed } from './errors.ts';
import type { Caller } from './subjects.ts';

const EVERY_MODEL = new Set(['*', 'all-proxy-models']);
const TEAM_MODELS = 'all-team-models';

/** Throws 401 `key_model_access_denied` naming the list that refused the model. */
export function checkModelAccess(principal: Caller, model: string): void {
  const { key, team, user, organization } = principal;
  if (!key) return;
  const keyList = key.models.filter((m) => m !== TEAM_MODELS);
  const deferToTeam = keyList.length < key.models.length;
  if (keyList.length > 0 && !deferToTeam && !allows(keyList, model)) throw modelNotAllowed('key', key.token, key.models, model);
  if (team) {
    if (team.models.length > 0 && !allows(team.models, model)) throw modelNotAllowed('team', team.team_alias ?? team.team_id, team.models, model);
  } else if (user && user.models.length > 0 && !allows(user.models, model)) {
    throw modelNotAllowed('user', user.user_id, user.models, model);
  }
  if (organization && organization.models.length > 0 && !allows(organization.models, model)) {
    throw modelNotAllowed('organization', organization.organization_alias, organization.models, model);
  }
}

export function allows(list: readonly string[], model: string): boolean {
  for (const entry of list) {
    if (entry === model || EVERY_MODEL.has(entry)) return true;
    const star = entry.indexOf('*');
    if (star === -1 || model.length < entry.length - 1) continue;
    if (model.startsWith(entry.slice(0, star)) && model.endsWith(entry.slice(star + 1))) return true;
  }
  return false;
}
