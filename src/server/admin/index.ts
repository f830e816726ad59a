// The management API's route list (LiteLLM's paths), registered by ../routes.ts. Every route needs a key;
// each handler checks the caller's role and scope itself (src/auth/rbac.ts).
import { abbreviateKey } from '../../auth/index.ts';
import type { Handler } from '../context.ts';
import { budgetDelete, budgetInfo, budgetList, budgetNew, budgetUpdate } from './budgets.ts';
import { customerBlock, customerDelete, customerInfo, customerList, customerNew, customerUnblock, customerUpdate } from './customers.ts';
import { keyBlock, keyDelete, keyGenerate, keyInfo, keyList, keyRegenerate, keyUnblock, keyUpdate } from './keys.ts';
import { organizationMemberAdd, organizationMemberDelete } from './organization-members.ts';
import { organizationDelete, organizationInfo, organizationList, organizationNew, organizationUpdate } from './organizations.ts';
import { globalSpendReport, spendLogs, spendTags } from './spend.ts';
import { teamBlock, teamDelete, teamInfo, teamList, teamMemberAdd, teamMemberDelete, teamNew, teamUnblock, teamUpdate } from './teams.ts';
import { userDelete, userInfo, userList, userNew, userUpdate } from './users.ts';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export const ADMIN_ROUTES: readonly (readonly [Method, string, Handler])[] = [
  ['POST', '/key/generate', keyGenerate],
  ['POST', '/key/update', keyUpdate],
  ['POST', '/key/delete', keyDelete],
  ['GET', '/key/info', keyInfo],
  ['GET', '/key/list', keyList],
  ['POST', '/key/regenerate', (ctx, deps) => keyRegenerate(ctx, deps)],
  ['POST', '/key/block', keyBlock],
  ['POST', '/key/unblock', keyUnblock],
  ['POST', '/user/new', userNew],
  ['GET', '/user/info', userInfo],
  ['POST', '/user/update', userUpdate],
  ['POST', '/user/delete', userDelete],
  ['GET', '/user/list', userList],
  ['POST', '/team/new', teamNew],
  ['GET', '/team/info', teamInfo],
  ['POST', '/team/update', teamUpdate],
  ['POST', '/team/delete', teamDelete],
  ['GET', '/team/list', teamList],
  ['POST', '/team/member_add', teamMemberAdd],
  ['POST', '/team/member_delete', teamMemberDelete],
  ['POST', '/team/block', teamBlock],
  ['POST', '/team/unblock', teamUnblock],
  ['POST', '/organization/new', organizationNew],
  ['GET', '/organization/info', organizationInfo],
  ['PATCH', '/organization/update', organizationUpdate],
  ['POST', '/organization/update', organizationUpdate],
  ['DELETE', '/organization/delete', organizationDelete],
  ['POST', '/organization/delete', organizationDelete],
  ['GET', '/organization/list', organizationList],
  ['POST', '/organization/member_add', organizationMemberAdd],
  ['DELETE', '/organization/member_delete', organizationMemberDelete],
  ['POST', '/organization/member_delete', organizationMemberDelete],
  ['POST', '/customer/new', customerNew],
  ['GET', '/customer/info', customerInfo],
  ['POST', '/customer/update', customerUpdate],
  ['POST', '/customer/delete', customerDelete],
  ['GET', '/customer/list', customerList],
  ['POST', '/customer/block', customerBlock],
  ['POST', '/customer/unblock', customerUnblock],
  ['POST', '/budget/new', budgetNew],
  ['POST', '/budget/info', budgetInfo],
  ['GET', '/budget/info', budgetInfo],
  ['POST', '/budget/update', budgetUpdate],
  ['POST', '/budget/delete', budgetDelete],
  ['GET', '/budget/list', budgetList],
  ['GET', '/spend/logs', spendLogs],
  ['GET', '/global/spend/report', globalSpendReport],
  ['GET', '/spend/tags', spendTags],
];

const REGENERATE_RE = /^\/key\/([^/]+)\/regenerate$/;

/** `POST /key/{key}/regenerate`, the one management path with a parameter in it. */
export function matchAdminPattern(method: string, path: string): Handler | undefined {
  if (method !== 'POST') return undefined;
  const m = REGENERATE_RE.exec(path);
  if (!m) return undefined;
  const key = decodeURIComponent(m[1]);
  return (ctx, deps) => {
    // The key is in the path: the request log line shows its abbreviation instead.
    ctx.log.path = `/key/${abbreviateKey(key)}/regenerate`;
    return keyRegenerate(ctx, deps, key);
  };
}
