import type { Unit, UnitType } from '../../shared/domain/unit';
import { CITY_NAME, type DemoCity } from './city';

/**
 * The demo city's response roster: engines and a ladder at every fire station,
 * ambulances at the hospitals, police at the police stations, and the utility and
 * inspection crews at the depots beside the works they look after. Ids are what
 * dispatchers say on the radio (E12, A3, WC1, BI1).
 */
export function demoRoster(city: DemoCity, at: string): Unit[] {
  const units: Unit[] = [];
  const of = (kind: string) => city.assets.filter((a) => a.asset.kind === kind).map((a) => a.asset);
  const add = (
    id: string,
    callSign: string,
    type: UnitType,
    home: { name: string; id: string | null; location: Unit['position'] },
  ) =>
    units.push({
      id,
      callSign,
      type,
      homeStation: { name: home.name, assetId: home.id, location: home.location },
      position: home.location,
      status: 'available',
      statusSince: at,
      incidentId: null,
      assignedBy: null,
    });

  of('fire_station').forEach((fs, i) => {
    const n = i + 1;
    const home = { name: fs.name, id: fs.id, location: fs.location };
    add(`E${n}`, `Engine ${n}`, 'fire-engine', home);
    add(`E${n + 10}`, `Engine ${n + 10}`, 'fire-engine', home);
    if (n % 3 === 1) add(`L${Math.ceil(n / 3)}`, `Ladder ${Math.ceil(n / 3)}`, 'fire-ladder', home);
    if (n === 1) add('HM1', 'Hazmat 1', 'hazmat', home);
  });
  let a = 0;
  of('hospital').forEach((h) => {
    for (let k = 0; k < 2; k++) {
      a += 1;
      add(`A${a}`, `Medic ${a}`, 'ambulance', { name: h.name, id: h.id, location: h.location });
    }
  });
  of('police_station').forEach((pd, i) => {
    const home = { name: pd.name, id: pd.id, location: pd.location };
    add(`P${2 * i + 1}`, `Patrol ${2 * i + 1}`, 'police', home);
    add(`P${2 * i + 2}`, `Patrol ${2 * i + 2}`, 'police', home);
  });
  const works = of('water_treatment');
  const pumps = of('pumping_station');
  const subs = of('substation');
  const pipes = of('pipeline');
  const depot = (asset: (typeof works)[number] | undefined, name: string) =>
    asset
      ? { name: `${name} (${asset.name})`, id: asset.id, location: asset.location }
      : { name, id: null, location: city.assets[0]!.asset.location };
  for (let i = 1; i <= 3; i++)
    add(`WC${i}`, `Water Crew ${i}`, 'water-crew', depot(works[i - 1] ?? pumps[i - 1], 'Water depot'));
  for (let i = 1; i <= 3; i++) add(`GC${i}`, `Gas Crew ${i}`, 'gas-crew', depot(pipes[(i - 1) * 2], 'Gas depot'));
  for (let i = 1; i <= 3; i++) add(`PC${i}`, `Power Crew ${i}`, 'power-crew', depot(subs[(i - 1) * 5], 'Power depot'));
  add('BI1', 'Bridge Inspection 1', 'bridge-inspection', depot(of('bridge')[0], `${CITY_NAME} Highways depot`));
  add('BI2', 'Bridge Inspection 2', 'bridge-inspection', depot(of('bridge')[1], `${CITY_NAME} Highways depot`));
  return units;
}
