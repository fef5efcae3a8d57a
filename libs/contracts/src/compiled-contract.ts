import { TransformationType } from 'class-transformer';
import type { MetadataStorage as TransformerMetadataStorage } from 'class-transformer/types/MetadataStorage';
import type { TypeMetadata } from 'class-transformer/types/interfaces';
import {
  getMetadataStorage,
  ValidationArguments,
  ValidationTypes,
  ValidatorConstraintInterface,
} from 'class-validator';

/**
 * The accept path of decodeEvent without class-transformer's and class-validator's per-call work
 * (metadata searches, grouping, error objects): each class's rules are looked up once in their
 * metadata storages, and the same validator functions then run directly.
 *
 * Both functions here only ever *prove* the common case. Where they cannot, they say so
 * (`undefined`, `false`) and the caller runs plainToInstance and validateSync as before, which
 * stay the source of truth for every rule and every error message. They mirror, for JSON input:
 * - plainToInstance(cls, plain) with the default options, for classes that use no @Expose,
 *   @Exclude or @Transform and no @Type discriminator or conversion to String, Number, ...;
 * - validateSync(object, options) for options that only shape the errors (no groups, no skip*,
 *   no whitelist, forbidUnknownValues left on) and synchronous validators.
 */

// class-transformer keeps @Type, @Transform and @Expose metadata in a storage its index does not export.
type TransformerModule = { defaultMetadataStorage: TransformerMetadataStorage };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const transformer: TransformerModule = require('class-transformer/cjs/storage');
const transformerStorage = transformer.defaultMetadataStorage;

type Constructor = new () => object;
type AnyObject = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// validateSync, without its per-call cost

interface Check {
  each: boolean;
  constraints: unknown[];
  validators: ValidatorConstraintInterface[];
}

interface PropertyRules {
  /** What class-validator passes validators as `targetName`. */
  targetName: string;
  property: string;
  /** @IsOptional, @ValidateIf: when one is false, nothing else is checked on the property. */
  conditions: ((object: object, value: unknown) => unknown)[];
  /** @IsDefined first, then the other validators, as class-validator runs them. */
  checks: Check[];
  /** @ValidateNested */
  nested: boolean;
}

/** null: validateSync would not pass the class as it is (no rules at all), or it has rules not mirrored here. */
const rulesCache = new Map<unknown, PropertyRules[] | null>();

function rulesOf(target: unknown): PropertyRules[] | null {
  // Not a class: an own `constructor` key (JSON can have one) hides the class from class-validator too.
  if (typeof target !== 'function') return null;
  let rules = rulesCache.get(target);
  if (rules === undefined) {
    rules = compileRules(target as Constructor);
    rulesCache.set(target, rules);
  }
  return rules;
}

function compileRules(target: Constructor): PropertyRules[] | null {
  const storage = getMetadataStorage();
  // The lookup ValidationExecutor.execute makes under validateSync without groups. (Its schema name,
  // none at the top and the parent's name for nested objects, only matters for registerSchema schemas.)
  const metadatas = storage.getTargetValidationMetadatas(target, target.name, false, false, undefined);
  if (metadatas.length === 0) return null; // forbidUnknownValues: "an unknown value was passed"
  const rules: PropertyRules[] = [];
  for (const [property, list] of Object.entries(storage.groupByPropertyName(metadatas))) {
    const rule: PropertyRules = { targetName: target.name, property, conditions: [], checks: [], nested: false };
    const custom: Check[] = [];
    for (const metadata of list) {
      const check = (): Check => ({
        each: metadata.each,
        constraints: metadata.constraints,
        // validateSync ignores async validators. Their instances come from class-validator's container,
        // which hands out one instance per class: resolved once here rather than searched for on every call.
        validators: storage
          .getTargetValidatorConstraints(metadata.constraintCls)
          .filter((constraint) => !constraint.async)
          .map((constraint) => constraint.instance),
      });
      if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) rule.conditions.push(metadata.constraints[0]);
      else if (metadata.type === ValidationTypes.IS_DEFINED) rule.checks.push(check());
      else if (metadata.type === ValidationTypes.CUSTOM_VALIDATION) custom.push(check());
      else if (metadata.type === ValidationTypes.NESTED_VALIDATION) rule.nested = true;
      else if (metadata.type !== ValidationTypes.WHITELIST) return null; // e.g. @ValidatePromise
    }
    rule.checks.push(...custom);
    rules.push(rule);
  }
  return rules;
}

/**
 * True only if `validateSync(object, options)` would return no errors. False means "not proven
 * here" (invalid, or a case not mirrored): run validateSync for the verdict and the errors.
 */
export function passesValidation(object: object): boolean {
  const rules = rulesOf(object.constructor);
  if (rules === null) return false;
  for (const rule of rules) {
    const value = (object as AnyObject)[rule.property];
    if (rule.conditions.length > 0 && !conditionsHold(rule, object, value)) continue;
    for (const check of rule.checks) {
      const args: ValidationArguments = {
        targetName: rule.targetName,
        property: rule.property,
        object,
        value,
        constraints: check.constraints,
      };
      if (!checkPasses(check, value, args)) return false;
    }
    if (rule.nested && value !== undefined) {
      // Arrays, sets and maps are validated element by element: not mirrored. Non-objects are an error.
      if (Array.isArray(value) || value instanceof Set || value instanceof Map || !(value instanceof Object))
        return false;
      if (!passesValidation(value)) return false;
    }
  }
  return true;
}

function conditionsHold(rule: PropertyRules, object: object, value: unknown): boolean {
  let hold = true;
  for (const condition of rule.conditions) if (!condition(object, value)) hold = false;
  return hold;
}

function checkPasses(check: Check, value: unknown, args: ValidationArguments): boolean {
  for (const validator of check.validators) {
    if (check.each && (Array.isArray(value) || value instanceof Set || value instanceof Map)) {
      if (!Array.isArray(value)) return false; // sets and maps: not mirrored
      for (const item of value) if (!isTrueResult(validator.validate(item, args))) return false;
    } else if (!isTrueResult(validator.validate(value, args))) return false;
  }
  return true;
}

/** A promise (a validator that is async without saying so) is not a verdict here. */
function isTrueResult(result: boolean | Promise<boolean>): boolean {
  return Boolean(result) && !(typeof result === 'object' && typeof result.then === 'function');
}

// ---------------------------------------------------------------------------------------------
// plainToInstance, without its per-call cost

/** Returned where the copy would not be exactly class-transformer's. */
const NOT_MIRRORED = Symbol('not mirrored');
type Copy = unknown;

interface KeyInfo {
  /** plainToInstance never assigns a key that is a method or a getter without a setter on the prototype. */
  onPrototype: boolean;
  type: TypeMetadata | undefined;
}

interface Blueprint {
  cls: Constructor;
  /** Keys of properties with rules: their lookups are kept (other keys are looked up each time). */
  known: Map<string, KeyInfo | null>;
}

const blueprintCache = new Map<Constructor, Blueprint | null>();

function blueprintOf(cls: Constructor): Blueprint | null {
  let blueprint = blueprintCache.get(cls);
  if (blueprint === undefined) {
    const plain =
      transformerStorage.getStrategy(cls) === 'none' &&
      transformerStorage.getExposedMetadatas(cls).length === 0 &&
      transformerStorage.getExcludedMetadatas(cls).length === 0;
    blueprint = plain ? { cls, known: new Map() } : null;
    if (blueprint)
      for (const rule of rulesOf(cls) ?? []) blueprint.known.set(rule.property, keyInfo(cls, rule.property));
    blueprintCache.set(cls, blueprint);
  }
  return blueprint;
}

/** null: the key has a @Transform or a @Type with a discriminator or to a Map (not mirrored). */
function keyInfo(cls: Constructor, key: string): KeyInfo | null {
  if (transformerStorage.findTransformMetadatas(cls, key, TransformationType.PLAIN_TO_CLASS).length > 0) return null;
  const type = transformerStorage.findTypeMetadata(cls, key);
  if (type && (type.options?.discriminator || type.reflectedType === Map)) return null;
  const descriptor = Object.getOwnPropertyDescriptor(cls.prototype, key);
  return { onPrototype: descriptor !== undefined && !descriptor.set, type };
}

/**
 * `plainToInstance(cls, plain)` for a parsed JSON object, or undefined where this copy would not be
 * exactly class-transformer's (then call plainToInstance).
 */
export function instantiate<T extends object>(cls: new () => T, plain: object): T | undefined {
  const copy = toInstance(cls, plain);
  return copy === NOT_MIRRORED ? undefined : (copy as T);
}

function toInstance(cls: Constructor, plain: object): Copy {
  const blueprint = blueprintOf(cls);
  if (blueprint === null || Array.isArray(plain)) return NOT_MIRRORED;
  const instance = new cls() as AnyObject;
  for (const key of Object.keys(plain)) {
    if (key === '__proto__' || key === 'constructor') continue;
    let info = blueprint.known.get(key);
    if (info === undefined) info = keyInfo(cls, key);
    if (info === null) return NOT_MIRRORED;
    const value = (plain as AnyObject)[key];
    let copy: Copy;
    if (info.type === undefined) {
      if (info.onPrototype || instance[key] instanceof Function) continue;
      copy = copyPlain(value);
    } else {
      const type = info.type.typeFunction
        ? info.type.typeFunction({ newObject: instance, object: plain as AnyObject, property: key })
        : info.type.reflectedType;
      if (info.onPrototype || instance[key] instanceof Function) continue;
      copy = copyTyped(value, type);
    }
    if (copy === NOT_MIRRORED) return NOT_MIRRORED;
    instance[key] = copy;
  }
  return instance;
}

/** A value under a @Type: objects become instances, other values stay as they are. */
function copyTyped(value: unknown, type: unknown): Copy {
  // Arrays under a @Type get the property's array type; String, Number, ... convert: not mirrored.
  if (Array.isArray(value) || typeof type !== 'function' || CONVERTED.has(type)) return NOT_MIRRORED;
  if (typeof value !== 'object' || value === null) return value;
  return toInstance(type as Constructor, value);
}

const CONVERTED = new Set<unknown>([String, Number, Boolean, Date, Buffer, Map, Set, Promise]);

/** A value without a @Type: class-transformer's deep copy of JSON. */
function copyPlain(value: unknown): Copy {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    for (const item of value) {
      const itemCopy = copyPlain(item);
      if (itemCopy === NOT_MIRRORED) return NOT_MIRRORED;
      copy.push(itemCopy);
    }
    return copy;
  }
  // An own `constructor` key makes class-transformer guess a type from it (and usually throw).
  if (value.constructor !== Object) return NOT_MIRRORED;
  const copy: AnyObject = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || key === 'constructor') continue;
    const descriptor = Object.getOwnPropertyDescriptor(Object.prototype, key);
    if ((descriptor && !descriptor.set) || copy[key] instanceof Function) continue;
    const itemCopy = copyPlain((value as AnyObject)[key]);
    if (itemCopy === NOT_MIRRORED) return NOT_MIRRORED;
    copy[key] = itemCopy;
  }
  return copy;
}
