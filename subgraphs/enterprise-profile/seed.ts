/**
 * Writes market supervision's supervision focus records for the demo world. The risk rules are
 * configuration and come with the migrations; the departments' data stays with them.
 */
import type { Kysely } from 'kysely';
import { isoDate, type DemoWorld } from '../../demo/world.ts';
import { randomFor } from '../../demo/random.ts';
import { hasRows, insertRows } from '../runtime/seeding.ts';
import type { SeedReport } from '../runtime/definition.ts';
import type { EnterpriseProfileDatabase } from './store.ts';

const FOOD_FOCUS = '食品经营重点监管对象：提高“双随机、一公开”抽查比例，每年至少现场检查一次';
const COMPLAINT_FOCUS = '投诉举报集中，列入重点监管名单：实施现场检查并跟踪整改';

/**
 * Entity #0 is always under focus (it sells food), so the first sample shows a focus note and
 * every world, however small, has a record; other food businesses often are, any entity rarely.
 */
function* focusRows(world: DemoWorld, now: string): Generator<EnterpriseProfileDatabase['supervision_focus']> {
  for (let j = 0; j < world.size.legalEntities; j++) {
    const r = randomFor(world.seed, 'supervision-focus', j);
    const complaints = j !== 0 && r.chance(0.03);
    const food = j === 0 || r.chance(0.4);
    if (!complaints && !food) continue;
    const entity = world.legalEntity(j);
    if (!complaints && !entity.businessScope.includes('食品')) continue;
    yield {
      credit_code: entity.creditCode,
      level: complaints ? 'HIGH' : 'MEDIUM',
      note: complaints ? COMPLAINT_FOCUS : FOOD_FOCUS,
      decided_by: entity.registrationAuthority,
      decided_date: isoDate(Date.UTC(2025, 0, 1) + r.int(0, 364) * 86_400_000),
      updated_at: now,
    };
  }
}

export async function seedEnterpriseProfile(db: Kysely<EnterpriseProfileDatabase>, world: DemoWorld): Promise<SeedReport> {
  return { rows: { supervision_focus: await insertRows(db, 'supervision_focus', focusRows(world, new Date().toISOString())) } };
}

export const isEnterpriseProfileSeeded = (db: Kysely<EnterpriseProfileDatabase>) => hasRows(db, 'supervision_focus');
