/**
 * The synthetic world: one seed and a number of persons determine every entity and every
 * link between them. Phases run in a fixed order, each from its own random stream, so the
 * same seed and scale give the same world, byte for byte.
 */
import { createPlaces, type Places } from './places.ts'
import { generatePopulation, type Households, type Population } from './population.ts'
import { generateEmployment, generateEnterprises, type Employment, type Enterprises } from './economy.ts'
import { generateHousing, type Housing } from './housing.ts'
import { generateCourts, type Courts } from './courts.ts'

export type WorldOptions = {
  /** Any string or integer; the same seed gives the same world. */
  readonly seed: string | number
  /** Number of persons (户籍人口). */
  readonly scale: number
}

export type World = {
  readonly seed: string
  readonly scale: number
  readonly places: Places
  readonly people: Population
  readonly households: Households
  readonly enterprises: Enterprises
  readonly employment: Employment
  readonly housing: Housing
  readonly courts: Courts
}

export const MIN_SCALE = 100
export const MAX_SCALE = 20_000_000

export function generateWorld(options: WorldOptions): World {
  const { scale } = options
  if (!Number.isInteger(scale) || scale < MIN_SCALE || scale > MAX_SCALE) {
    throw new RangeError(`scale must be an integer between ${MIN_SCALE} and ${MAX_SCALE}`)
  }
  const seed = String(options.seed)
  const { people, households } = generatePopulation(seed, scale)
  // dwellings ≈ 1.13 per household plus a few thousand of slack for partly built compounds,
  // premises ≈ one per enterprise
  const places = createPlaces(Math.ceil(households.count * 1.2) + Math.ceil(scale / 15) + 50_000)
  const enterprises = generateEnterprises(seed, places, people, households.district)
  const employment = generateEmployment(seed, people, enterprises)
  const housing = generateHousing(seed, places, people, households, enterprises)
  const courts = generateCourts(seed, people, enterprises)
  return { seed, scale, places, people, households, enterprises, employment, housing, courts }
}
